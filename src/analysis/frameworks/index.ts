/** Every framework recognizer, one file each. Adding a framework is adding a file and a line here. */
import type { Framework } from './types';
import express from './express';
import nodeHttp from './node-http';
import next from './next';
import nest from './nest';
import fastify from './fastify';
import koa from './koa';
import hono from './hono';

export const FRAMEWORKS: Framework[] = [express, nodeHttp, next, fastify, nest, koa, hono];
