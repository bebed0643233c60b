import { onlyKeys } from './checks';
import { MEDIA_FIELDS, mediaFields, type MediaFields } from './media';

/** A file (a PDF, …) with optional text (spec: fileMessage; it has no actions). */
export interface FileContent extends MediaFields {
	type: 'file';
}

export function buildFile(path: string, content: Record<string, unknown>): Record<string, unknown> {
	onlyKeys(path, content, MEDIA_FIELDS, 'a file message');
	return { type: 'file', ...mediaFields(path, content, 'file') };
}
