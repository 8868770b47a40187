import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration, httpRequestsTotal } from './observability';

/** Records RED metrics for the routes of the router it is mounted on. */
export function redMetrics(req: Request, res: Response, next: NextFunction): void {
  const stop = httpRequestDuration.startTimer();
  res.once('finish', () => {
    const route = req.route ? (req.baseUrl + req.route.path).replace(/(.)\/$/, '$1') : 'unmatched';
    const labels = { method: req.method, route, status_code: String(res.statusCode) };
    stop(labels);
    httpRequestsTotal.inc(labels);
  });
  next();
}
