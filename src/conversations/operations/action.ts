import { z } from 'zod';

import { type DocumentVariables, type Operation, parseWith } from '../operation';

/** What most mutations answer (NOTES.md section 1: "Return selection is `{ success }`"). */
export interface ActionResult {
	success: boolean;
}

/**
 * A mutation that answers `{ success }`. `args` is the argument list written by the caller from
 * `variables` references and validated literals (enum values, booleans) only.
 */
export function actionMutation(
	operationName: string,
	field: string,
	variables: DocumentVariables,
	args: string,
	idempotent: boolean,
): Operation<ActionResult> {
	const schema = answerSchema(field);
	return {
		kind: 'mutation',
		name: operationName,
		document: `mutation ${operationName}${variables.declaration()} { ${field}(${args}) { success } }`,
		variables: variables.values,
		idempotent,
		parse: parseWith(field, schema, (data) => ({ success: (data[field] as ActionResult).success })),
	};
}

const answerSchemas = new Map<string, z.ZodTypeAny>();

/** The answer's schema, built once per mutation field (a send builds one operation per call). */
function answerSchema(field: string): z.ZodTypeAny {
	let schema = answerSchemas.get(field);
	if (!schema) {
		schema = z.object({ [field]: z.object({ success: z.boolean() }) });
		answerSchemas.set(field, schema);
	}
	return schema;
}

/** A validated boolean as a GraphQL literal (booleans are not user text, and need no variable type). */
export function booleanLiteral(value: boolean): string {
	return value ? 'true' : 'false';
}
