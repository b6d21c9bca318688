import { z } from 'zod';
import { errorResource } from './adminSchemas.js';
import { consoleConfigResource } from './consoleConfig.js';
import type { Route } from './routes/route.js';

/** Errors every authenticated route may answer, besides its own success. */
const COMMON_ERRORS: Readonly<Record<string, string>> = {
  '400': 'Bad input: the field is named',
  '401': 'No token, or a token that is not a current v2 access token of the tenant for this API',
  '403': 'The token lacks the app role the route needs',
  '404': 'No such object',
  '503': "The API is not configured, or the tenant's signing keys cannot be fetched",
};
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  '409': 'Conflicts with the current state (an id taken, an operation unfinished)',
  '413': 'The body is too large',
  '415': 'The body is not application/json',
  '501': 'Lure lacks what this needs (Graph access to manage decoys)',
  '502': 'Microsoft Graph failed',
};

/**
 * The OpenAPI 3.1 document of the admin API, generated from the route table and its schemas (JSON Schema
 * 2020-12, which OpenAPI 3.1 uses as is), so the document always matches the routes served.
 */
export function openApiDocument(routes: readonly Route[]): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operations = (paths[`/api${route.path}`] ??= {});
    operations[route.method.toLowerCase()] = operationOf(route);
  }
  paths['/api/openapi.json'] = {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      security: [],
      responses: { '200': { description: 'The OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };
  paths['/api/console-config'] = {
    get: {
      operationId: 'getConsoleConfig',
      summary: 'How the web console signs a person in (no secret)',
      security: [],
      responses: {
        '200': {
          description: 'The sign-in mode and, for Entra, the tenant, client id, authority and scope',
          content: { 'application/json': { schema: jsonSchemaOf(consoleConfigResource, 'output') } },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lure admin API',
      version: '1',
      description:
        'Manage decoys, triage alerts and see the health of Lure. Every route but this document and the console sign-in settings needs a v2 access token of the tenant for the Lure API app registration, with the app role Lure.Reader (reads) or Lure.Admin (changes).',
    },
    servers: [{ url: '/' }],
    security: [{ entra: [] }],
    components: {
      securitySchemes: {
        entra: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Entra ID v2 access token; roles Lure.Reader or Lure.Admin' },
      },
      schemas: { Error: jsonSchemaOf(errorResource, 'output') },
    },
    paths,
  };
}

function operationOf(route: Route): object {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchemaOf(schema, 'input') })),
    ...queryParametersOf(route),
    ...(route.requiresIfMatch
      ? [{ name: 'If-Match', in: 'header', required: true, description: 'The ETag of a GET of this object', schema: { type: 'string' } }]
      : []),
  ];
  const errors = {
    ...COMMON_ERRORS,
    ...(route.access === 'write' ? WRITE_ERRORS : {}),
    ...(route.requiresIfMatch ? { '412': 'The ETag is stale', '428': 'If-Match is missing' } : {}),
  };
  return {
    operationId: route.operationId,
    summary: route.summary,
    'x-lure-role': route.access === 'write' ? 'Lure.Admin' : 'Lure.Reader or Lure.Admin',
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: route.bodyOptional !== true, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } } }),
    responses: {
      [String(route.response.status)]: {
        description: route.response.description,
        ...(route.response.schema === undefined ? {} : { content: { 'application/json': { schema: jsonSchemaOf(route.response.schema, 'output') } } }),
      },
      ...Object.fromEntries(
        Object.entries(errors).map(([status, description]) => [
          status,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
    },
  };
}

function queryParametersOf(route: Route): object[] {
  if (route.query === undefined) return [];
  const schema = jsonSchemaOf(route.query, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): object {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
