import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenApiDocument } from './document.js';

const HEADER = `/**
 * Types of the Refined Toolkit API, generated from packages/contracts/openapi.json by
 * openapi-typescript. Do not edit: run \`npm run openapi -w @rt/contracts\`.
 */

`;

/** Renders the TypeScript types (`paths`, `components`, `operations`) of a document. */
export async function renderClientTypes(document: OpenApiDocument): Promise<string> {
  // openapi-typescript mutates its input while resolving; hand it a copy.
  const ast = await openapiTS(structuredClone(document) as never, { alphabetize: true });
  return HEADER + astToString(ast);
}
