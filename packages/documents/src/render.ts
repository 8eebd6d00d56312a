import type { DocumentSummary, RevisionSummary, StoredDocument } from './repository.js';

/**
 * Renders a document as JSON text. The JSON fields are spliced in as Postgres returned them
 * (valid JSON by construction: they come from jsonb columns), so a read never parses and
 * re-serialises the document body.
 */
export function renderDocument(doc: StoredDocument): string {
  let out = `{"id":"${doc.id}","name":${JSON.stringify(doc.name)},"scope":${JSON.stringify(doc.scope)}`;
  out += `,"schemaVersion":${doc.schemaVersion},"version":${doc.version}`;
  if (doc.isDefault !== undefined) out += `,"isDefault":${doc.isDefault}`;
  out += `,"createdAt":"${doc.createdAt.toISOString()}","updatedAt":"${doc.updatedAt.toISOString()}"`;
  for (const [name, json] of Object.entries(doc.json)) out += `,${JSON.stringify(name)}:${json}`;
  return `${out}}`;
}

/** A list item as sent (dates as ISO strings). */
export const summaryView = (s: DocumentSummary) => ({ ...s, updatedAt: s.updatedAt.toISOString() });

/** A revision as sent. */
export const revisionView = (r: RevisionSummary) => ({ ...r, createdAt: r.createdAt.toISOString() });
