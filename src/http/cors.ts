import cors from 'cors';
import type { RequestHandler } from 'express';
import type { CorsOrigin } from '../config';

/** Every method the API answers; a preflight lists them. */
export const API_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * CORS headers on every answer, errors included, for a frontend served from another origin (Ant
 * Design Pro's dev server, the Todo-Backend spec runner). The API is anonymous and sets no
 * cookies, so `*` is a safe default; a list of origins answers only those (and varies on Origin).
 * Preflights name the methods and headers allowed rather than echoing what was asked.
 */
export function corsHeaders(origin: Exclude<CorsOrigin, false>): RequestHandler {
  return cors({
    origin,
    methods: API_METHODS,
    allowedHeaders: ['Content-Type', 'Accept', 'Accept-Language', 'X-Request-Id', 'X-Requested-With'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600, // Chromium caps a preflight's cache at 2 hours; 10 minutes keeps changes visible
  });
}
