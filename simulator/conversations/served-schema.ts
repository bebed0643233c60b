import type { GraphQLSchema } from 'graphql';

import { buildConversationsSchema, normalizeVariant, type SchemaVariant } from './schema';

/**
 * The schema one simulator instance serves: the variant it was started with, whose refused fields a
 * test may change while it runs (control API refuseFields) and reset back to the starting ones.
 * Every request is validated against `schema` as it is when the request arrives.
 */
export class ServedSchema {
	private readonly initial: Required<SchemaVariant>;
	private variant: Required<SchemaVariant>;

	/** @throws Error when the variant names an unknown option value or field */
	constructor(variant: SchemaVariant = {}) {
		this.initial = normalizeVariant(variant);
		this.variant = this.initial;
		buildConversationsSchema(this.variant);
	}

	get schema(): GraphQLSchema {
		return buildConversationsSchema(this.variant);
	}

	/** The variant served now, defaults filled in. */
	current(): Required<SchemaVariant> {
		return { ...this.variant, refuseFields: [...this.variant.refuseFields] };
	}

	/** Serves the same variant with exactly these refused fields ([] accepts every field again). */
	refuseFields(fields: string[]): Required<SchemaVariant> {
		const next = normalizeVariant({ ...this.variant, refuseFields: fields });
		buildConversationsSchema(next);
		this.variant = next;
		return this.current();
	}

	reset(): void {
		this.variant = this.initial;
	}
}
