import { normalizeVariant, type SchemaVariant } from './schema';

/** The words of `--schema-variant`, each one setting of SchemaVariant (schema.ts). */
const WORDS: Record<string, SchemaVariant> = {
	default: {},
	'id-as-string': { unseenIdArgs: 'String' },
	'string-as-id': { unseenStringArgs: 'ID' },
	nullable: { unseenNullability: 'nullable' },
	'non-null': { unseenNullability: 'nonNull' },
};

export const SCHEMA_VARIANT_HELP = `  --schema-variant WORDS  How the Conversations API types the arguments the public schema pages do not
                          show (sendMessage, structured messages, transferToDepartment, ...): a comma list of
                            id-as-string  unseen ID arguments and input fields are String
                            string-as-id  unseen String arguments and input fields are ID
                            nullable      unseen arguments and input fields are all nullable
                            non-null      ... or all non-null
                          (default: the simulator's reading, e.g. sendMessage(channel_id: ID!, msg: String!))
  --refuse-field T.f      The Conversations API refuses field f of type T (repeatable), e.g. Visitor.id,
                          Agent.id, MemberJoinLog.channel: a document selecting it fails validation`;

/**
 * The SchemaVariant of the CLI flags `--schema-variant a,b` and `--refuse-field T.f` (repeated).
 * @throws Error naming the bad word or field
 */
export function schemaVariantFromFlags(
	words: string | undefined,
	refuseFields: string[] = [],
): SchemaVariant {
	const variant: SchemaVariant = {};
	for (const word of (words ?? '')
		.split(',')
		.map((w) => w.trim())
		.filter(Boolean)) {
		const setting = WORDS[word];
		if (!setting)
			throw new Error(
				`--schema-variant: unknown word ${JSON.stringify(word)}; use ${Object.keys(WORDS).join(', ')}`,
			);
		if (
			setting.unseenNullability &&
			variant.unseenNullability &&
			setting.unseenNullability !== variant.unseenNullability
		) {
			throw new Error('--schema-variant: nullable and non-null exclude each other');
		}
		Object.assign(variant, setting);
	}
	if (refuseFields.length > 0) variant.refuseFields = refuseFields;
	normalizeVariant(variant);
	return variant;
}
