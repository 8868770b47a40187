import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

describe('nestjs recognizer', () => {
  it('controllers and every method decorator; paths, arrays, no-path decorators, @All', () => checkInventory(ts`
    import { Controller, Get, Post, Put, Patch, Delete, Options, Head, All, Param, Body } from '@nestjs/common';
    @Controller('users')
    export class UsersController {
      @Get()
    //^^^^ GET /users none
      list() { return []; }
      @Get(':id')
    //^^^^ GET /users/:id none
      one(@Param('id') id: string) { return id; }
      @Post()
    //^^^^^ POST /users none
      create(@Body() body: unknown) { return body; }
      @Put(':id') @Patch(':id')
    //^^^^ PUT /users/:id none
    //            ^^^^^^ PATCH /users/:id none
      update() {}
      @Delete(['/:id', 'by-name/:name'])
    //^^^^^^^ DELETE /users/:id none
    //^^^^^^^ DELETE /users/by-name/:name none
      remove() {}
      @Options('*')
    //^^^^^^^^ OPTIONS /users/* none
      opts() {}
      @Head()
    //^^^^^ HEAD /users none
      head() {}
      @All('proxy')
    //^^^^ ANY /users/proxy none
      proxy() {}
      helper() { return 1; }
    }
    @Controller()
    export class RootController {
      @Get()
    //^^^^ GET / none
      root() { return 'ok'; }
    }
    @Controller(['a', '/b/'])
    export class MultiController {
      @Get('x')
    //^^^^ GET /a/x none
    //^^^^ GET /b/x none
      x() {}
    }
  `));

  it('controller options objects, constants and aliased or re-exported decorators', () => checkInventory(ts`
    //- /src/paths.ts
    export const ORDERS = 'orders';
    export const ROUTES = { item: ':orderId/items/:itemId' } as const;
    //- /src/common/index.ts
    export { Controller, Get as HttpGet } from '@nestjs/common';
    //- /src/orders.controller.ts
    import { Controller, HttpGet } from './common';
    import { Post as P } from '@nestjs/common';
    import { ORDERS, ROUTES } from './paths';
    @Controller({ path: ORDERS, host: ':account.example.com' })
    export class OrdersController {
      @HttpGet(ROUTES.item)
    //^^^^^^^^ GET /orders/:orderId/items/:itemId none
      item() {}
      @P(\`\${ORDERS}-bulk\`)
    //^^ POST /orders/orders-bulk none
      bulk() {}
    }
  `, '/src/orders.controller.ts'));

  it('string enums for paths (local, imported, through a barrel); unresolvable paths keep the route', () => checkInventory(ts`
    //- /src/routes.enum.ts
    export enum ApiRoute { Users = 'users', ById = ':id' }
    //- /src/shared/index.ts
    export * from '../routes.enum';
    //- /src/users.controller.ts
    import { Controller, Get, Post } from '@nestjs/common';
    import { ApiRoute } from './shared';
    import { config } from './config';
    const enum Local { Me = 'me' }
    @Controller(ApiRoute.Users)
    export class UsersController {
      @Get(ApiRoute.ById)
    //^^^^ GET /users/:id none
      one() {}
      @Get(Local.Me)
    //^^^^ GET /users/me none
      me() {}
      @Post(config.importPath)
    //^^^^^ POST /users/:config_importPath none
      importUsers() {}
    }
  `, '/src/users.controller.ts'));

  it('global prefix from the bootstrap file, with excludes', () => checkInventory(ts`
    //- /src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { RequestMethod } from '@nestjs/common';
    import { AppModule } from './app.module';
    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      app.setGlobalPrefix('api', { exclude: ['health', { path: 'status', method: RequestMethod.GET }, 'docs/(.*)'] });
      await app.listen(3000);
    }
    bootstrap();
    //- /src/app.module.ts
    import { Module } from '@nestjs/common';
    import { AppController } from './app.controller';
    @Module({ controllers: [AppController] })
    export class AppModule {}
    //- /src/app.controller.ts
    import { Controller, Get, Post } from '@nestjs/common';
    @Controller()
    export class AppController {
      @Get('health')
    //^^^^ GET /health none
      health() {}
      @Get('status')
    //^^^^ GET /status none
      status() {}
      @Post('status')
    //^^^^^ POST /api/status none
      setStatus() {}
      @Get('docs/json')
    //^^^^ GET /docs/json none
      docs() {}
      @Get('hello')
    //^^^^ GET /api/hello none
      hello() {}
    }
  `, '/src/main.ts'));

  it('URI versioning: defaults, controller and method versions, arrays, VERSION_NEUTRAL, custom prefix', () => checkInventory(ts`
    //- /src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { VersioningType } from '@nestjs/common';
    import { AppModule } from './app.module';
    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      app.setGlobalPrefix('api');
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      await app.listen(3000);
    }
    void bootstrap();
    //- /src/app.module.ts
    import { Module } from '@nestjs/common';
    @Module({})
    export class AppModule {}
    //- /src/cats.controller.ts
    import { Controller, Get, Version, VERSION_NEUTRAL } from '@nestjs/common';
    @Controller('cats')
    export class CatsController {
      @Get()
    //^^^^ GET /api/v1/cats none
      list() {}
      @Version('2')
      @Get(':id')
    //^^^^ GET /api/v2/cats/:id none
      one() {}
      @Version(['3', '4'])
      @Get('multi')
    //^^^^ GET /api/v3/cats/multi none
    //^^^^ GET /api/v4/cats/multi none
      multi() {}
      @Version(VERSION_NEUTRAL)
      @Get('neutral')
    //^^^^ GET /api/cats/neutral none
      neutral() {}
    }
    @Controller({ path: 'dogs', version: '5' })
    export class DogsController {
      @Get()
    //^^^^ GET /api/v5/dogs none
      list() {}
    }
  `, '/src/main.ts'));

  it('versions are ignored unless URI versioning is enabled; enableVersioning() defaults to URI with prefix v', () => {
    checkInventory(ts`
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { VersioningType } from '@nestjs/common';
      import { AppModule } from './app.module';
      const app = await NestFactory.create(AppModule);
      app.enableVersioning({ type: VersioningType.HEADER, header: 'X-Version' });
      //- /src/app.module.ts
      import { Module } from '@nestjs/common';
      @Module({})
      export class AppModule {}
      //- /src/a.controller.ts
      import { Controller, Get, Version } from '@nestjs/common';
      @Controller({ path: 'a', version: '1' })
      export class AController {
        @Version('2')
        @Get('x')
      //^^^^ GET /a/x none
        x() {}
      }
    `, '/src/main.ts');
    checkInventory(ts`
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { AppModule } from './app.module';
      const app = await NestFactory.create(AppModule);
      app.enableVersioning({ prefix: 'version-' });
      //- /src/app.module.ts
      import { Module } from '@nestjs/common';
      @Module({})
      export class AppModule {}
      //- /src/a.controller.ts
      import { Controller, Get } from '@nestjs/common';
      @Controller({ path: 'a', version: ['1', '2'] })
      export class AController {
        @Get('x')
      //^^^^ GET /version-1/a/x none
      //^^^^ GET /version-2/a/x none
        x() {}
      }
      @Controller('b')
      export class BController {
        @Get()
      //^^^^ GET /b none
        x() {}
      }
    `, '/src/main.ts');
  });

  it('coverage: injected metrics, @Span, @UseInterceptors on the class or the method', () => checkInventory(ts`
    //- /src/metrics.interceptor.ts
    import { Injectable, NestInterceptor, ExecutionContext, CallHandler } from '@nestjs/common';
    import { InjectMetric } from '@willsoto/nestjs-prometheus';
    import { Histogram } from 'prom-client';
    import { tap } from 'rxjs';
    @Injectable()
    export class MetricsInterceptor implements NestInterceptor {
      constructor(@InjectMetric('http_request_duration_seconds') private readonly histogram: Histogram<string>) {}
      intercept(context: ExecutionContext, next: CallHandler) {
        const end = this.histogram.startTimer();
        return next.handle().pipe(tap(() => end()));
      }
    }
    //- /src/logging.interceptor.ts
    import { Injectable, NestInterceptor, ExecutionContext, CallHandler } from '@nestjs/common';
    @Injectable()
    export class LoggingInterceptor implements NestInterceptor {
      intercept(context: ExecutionContext, next: CallHandler) { console.log('req'); return next.handle(); }
    }
    //- /src/items.controller.ts
    import { Controller, Get, Post, UseInterceptors } from '@nestjs/common';
    import { InjectMetric } from '@willsoto/nestjs-prometheus';
    import { Counter } from 'prom-client';
    import { Span } from 'nestjs-otel';
    import { MetricsInterceptor } from './metrics.interceptor';
    import { LoggingInterceptor } from './logging.interceptor';
    @Controller('items')
    @UseInterceptors(LoggingInterceptor)
    export class ItemsController {
      constructor(@InjectMetric('items_created_total') private counter: Counter<string>) {}
      @Post()
    //^^^^^ POST /items handler
      create() { this.counter.inc(); }
      @Span('list-items')
      @Get()
    //^^^^ GET /items handler
      list() { return []; }
      @Get('plain')
    //^^^^ GET /items/plain none
      plain() {}
      @UseInterceptors(new MetricsInterceptor(undefined as never))
      @Get('timed')
    //^^^^ GET /items/timed middleware
      timed() {}
    }
    @Controller('timed')
    @UseInterceptors(MetricsInterceptor)
    export class TimedController {
      @Get()
    //^^^^ GET /timed middleware
      all() {}
    }
  `, '/src/items.controller.ts'));

  it('global coverage: useGlobalInterceptors, APP_INTERCEPTOR providers', () => {
    checkInventory(ts`
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import { AppModule } from './app.module';
      import { TracingInterceptor } from './tracing.interceptor';
      const app = await NestFactory.create(AppModule);
      app.useGlobalInterceptors(new TracingInterceptor());
      //- /src/tracing.interceptor.ts
      import { trace } from '@opentelemetry/api';
      export class TracingInterceptor {
        intercept(ctx: unknown, next: { handle(): unknown }) {
          return trace.getTracer('api').startActiveSpan('request', () => next.handle());
        }
      }
      //- /src/app.module.ts
      import { Module, Controller, Get } from '@nestjs/common';
      @Controller('x')
      class XController {
        @Get()
      //^^^^ GET /x middleware
        x() {}
      }
      @Module({ controllers: [XController] })
      export class AppModule {}
    `, '/src/main.ts');
    checkInventory(ts`
      //- /src/app.module.ts
      import { Module, Controller, Get } from '@nestjs/common';
      import { APP_INTERCEPTOR } from '@nestjs/core';
      import { PrometheusModule } from '@willsoto/nestjs-prometheus';
      import { HttpMetricsInterceptor } from './http-metrics.interceptor';
      @Controller('y')
      class YController {
        @Get()
      //^^^^ GET /y middleware
        y() {}
      }
      @Module({
        imports: [PrometheusModule.register()],
        controllers: [YController],
        providers: [{ provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor }],
      })
      export class AppModule {}
      //- /src/http-metrics.interceptor.ts
      import { Injectable } from '@nestjs/common';
      import { Counter } from 'prom-client';
      const requests = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['route'] });
      @Injectable()
      export class HttpMetricsInterceptor {
        intercept(context: { getHandler(): { name: string } }, next: { handle(): unknown }) {
          requests.labels(context.getHandler().name).inc();
          return next.handle();
        }
      }
    `, '/src/app.module.ts');
  });

  it('global coverage: nestjs-otel apiMetrics, module middleware, Express metrics middleware on the Nest app', () => {
    checkInventory(ts`
      //- /src/app.module.ts
      import { Module, Controller, Get } from '@nestjs/common';
      import { OpenTelemetryModule } from 'nestjs-otel';
      @Controller('z')
      class ZController {
        @Get()
      //^^^^ GET /z middleware
        z() {}
      }
      @Module({
        imports: [OpenTelemetryModule.forRoot({ metrics: { hostMetrics: true, apiMetrics: { enable: true } } })],
        controllers: [ZController],
      })
      export class AppModule {}
    `, '/src/app.module.ts');
    checkInventory(ts`
      //- /src/app.module.ts
      import { Module, Controller, Get } from '@nestjs/common';
      import { OpenTelemetryModule } from 'nestjs-otel';
      @Controller('z')
      class ZController {
        @Get()
      //^^^^ GET /z none
        z() {}
      }
      @Module({
        imports: [OpenTelemetryModule.forRoot({ metrics: { hostMetrics: true, apiMetrics: { enable: false } } })],
        controllers: [ZController],
      })
      export class AppModule {}
    `, '/src/app.module.ts');
    checkInventory(ts`
      //- /src/app.module.ts
      import { Module, Controller, Get, NestModule, MiddlewareConsumer } from '@nestjs/common';
      import { MetricsMiddleware } from './metrics.middleware';
      @Controller('cats')
      class CatsController {
        @Get()
      //^^^^ GET /cats middleware
        list() {}
      }
      @Controller('dogs')
      class DogsController {
        @Get()
      //^^^^ GET /dogs none
        list() {}
      }
      @Module({ controllers: [CatsController, DogsController] })
      export class AppModule implements NestModule {
        configure(consumer: MiddlewareConsumer) {
          consumer.apply(MetricsMiddleware).forRoutes(CatsController);
        }
      }
      //- /src/metrics.middleware.ts
      import { Injectable, NestMiddleware } from '@nestjs/common';
      import { Histogram } from 'prom-client';
      const h = new Histogram({ name: 'http_duration_seconds', help: 'd' });
      @Injectable()
      export class MetricsMiddleware implements NestMiddleware {
        use(req: unknown, res: { on(e: string, f: () => void): void }, next: () => void) {
          const end = h.startTimer();
          res.on('finish', () => end());
          next();
        }
      }
    `, '/src/app.module.ts');
    checkInventory(ts`
      //- /src/main.ts
      import { NestFactory } from '@nestjs/core';
      import promBundle from 'express-prom-bundle';
      import { AppModule } from './app.module';
      async function bootstrap() {
        const app = await NestFactory.create(AppModule);
        app.use(promBundle({ includeMethod: true }));
        await app.listen(3000);
      }
      bootstrap();
      //- /src/app.module.ts
      import { Module, Controller, Get } from '@nestjs/common';
      @Controller('w')
      class WController {
        @Get()
      //^^^^ GET /w middleware
        w() {}
      }
      @Module({ controllers: [WController] })
      export class AppModule {}
    `, '/src/main.ts');
  });

  it('RouterModule module prefixes and inherited controller routes', () => checkInventory(ts`
    //- /src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { AppModule } from './app.module';
    const app = await NestFactory.create(AppModule);
    app.setGlobalPrefix('api');
    //- /src/app.module.ts
    import { Module } from '@nestjs/common';
    import { RouterModule } from '@nestjs/core';
    import { AdminModule } from './admin.module';
    import { DashboardModule } from './dashboard.module';
    @Module({
      imports: [
        AdminModule,
        DashboardModule,
        RouterModule.register([{ path: 'admin', module: AdminModule, children: [{ path: 'dashboard', module: DashboardModule }] }]),
      ],
    })
    export class AppModule {}
    //- /src/admin.module.ts
    import { Module } from '@nestjs/common';
    import { UsersAdminController } from './users-admin.controller';
    @Module({ controllers: [UsersAdminController] })
    export class AdminModule {}
    //- /src/dashboard.module.ts
    import { Module, Controller, Get } from '@nestjs/common';
    @Controller('stats')
    export class StatsController {
      @Get()
    //^^^^ GET /api/admin/dashboard/stats none
      stats() {}
    }
    @Module({ controllers: [StatsController] })
    export class DashboardModule {}
    //- /src/crud.controller.ts
    import { Get, Delete } from '@nestjs/common';
    export abstract class CrudController {
      @Get()
    //^^^^ GET /api/admin/users none
      findAll() {}
      @Delete(':id')
    //^^^^^^^ DELETE /api/admin/users/:id none
      remove() {}
    }
    //- /src/users-admin.controller.ts
    import { Controller, Get } from '@nestjs/common';
    import { CrudController } from './crud.controller';
    @Controller('users')
    export class UsersAdminController extends CrudController {
      @Get('me')
    //^^^^ GET /api/admin/users/me none
      me() {}
    }
  `, '/src/main.ts'));

  it('monorepo: each app gets the prefix of the bootstrap whose module tree declares the controller', () => checkInventory(ts`
    //- /apps/api/src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { ApiModule } from './api.module';
    const app = await NestFactory.create(ApiModule);
    app.setGlobalPrefix('api');
    //- /apps/api/src/api.module.ts
    import { Module, Controller, Get } from '@nestjs/common';
    @Controller('orders')
    class OrdersController {
      @Get()
    //^^^^ GET /api/orders none
      list() {}
    }
    @Module({ controllers: [OrdersController] })
    export class ApiModule {}
    //- /apps/admin/src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { AdminModule } from './admin.module';
    const app = await NestFactory.create(AdminModule);
    app.setGlobalPrefix('backoffice');
    //- /apps/admin/src/admin.module.ts
    import { Module, Controller, Get } from '@nestjs/common';
    @Controller('users')
    class UsersController {
      @Get()
    //^^^^ GET /backoffice/users none
      list() {}
    }
    @Module({ controllers: [UsersController] })
    export class AdminModule {}
  `, '/apps/api/src/main.ts'));

  it('a second bootstrap of the same root module (serverless entry) does not duplicate routes; shared setup functions apply', () => checkInventory(ts`
    //- /src/main.ts
    import { NestFactory } from '@nestjs/core';
    import { AppModule } from './app.module';
    import { setup } from './setup';
    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      setup(app);
      await app.listen(3000);
    }
    bootstrap();
    //- /src/lambda.ts
    import { NestFactory } from '@nestjs/core';
    import { AppModule } from './app.module';
    export const handler = async () => {
      const app = await NestFactory.create(AppModule);
      await app.init();
      return app;
    };
    //- /src/setup.ts
    import type { INestApplication } from '@nestjs/common';
    export function setup(app: INestApplication) {
      const globalPrefix = process.env.PREFIX || 'api';
      app.setGlobalPrefix(globalPrefix);
    }
    //- /src/app.module.ts
    import { Module, Controller, Get } from '@nestjs/common';
    @Controller('things')
    class ThingsController {
      @Get()
    //^^^^ GET /api/things none
      list() {}
    }
    @Module({ controllers: [ThingsController] })
    export class AppModule {}
  `, '/src/main.ts'));

  it('look-alikes: decorators of other packages, classes that are not controllers, microservice handlers', () => checkInventory(ts`
    import { Controller as NotNest, Get as NotNestGet } from './my-decorators';
    import { Get, Injectable } from '@nestjs/common';
    import { Controller, MessagePattern } from '@nestjs/microservices';
    import { Component } from '@angular/core';
    import { JsonController, Get as RcGet } from 'routing-controllers';
    @NotNest('fake')
    export class FakeController {
      @NotNestGet('x')
      x() {}
    }
    @Injectable()
    export class NotAController {
      @Get('y')
      y() {}
    }
    @Component({ selector: 'app' })
    export class AppComponent {}
    export class Handlers {
      @MessagePattern('sum')
      sum() {}
    }
    const m = new Map<string, number>();
    m.get('users');
    void Controller;
    void JsonController;
    void RcGet;
  `));
});
