import { z } from 'zod';

import { type Operation, parseWith } from '../operation';

/** What most mutations answer (NOTES.md section 1: "Return selection is `{ success }`"). */
export interface ActionResult {
	success: boolean;
}

/**
 * A mutation that answers `{ success }`. `args` is the argument list, written by the caller from
 * literals (literals.ts) only.
 */
export function actionMutation(operationName: string, field: string, args: string, idempotent: boolean): Operation<ActionResult> {
	const schema = answerSchema(field);
	return {
		kind: 'mutation',
		name: operationName,
		document: `mutation ${operationName} { ${field}(${args}) { success } }`,
		variables: {},
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
