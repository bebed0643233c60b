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
export function actionMutation(
	operationName: string,
	field: string,
	args: string,
	idempotent: boolean,
): Operation<ActionResult> {
	return {
		kind: 'mutation',
		name: operationName,
		document: `mutation ${operationName} { ${field}(${args}) { success } }`,
		variables: {},
		idempotent,
		parse: answerParser(field),
	};
}

const answerParsers = new Map<string, (data: unknown) => ActionResult>();

/**
 * The answer's parser, built once per mutation field (a send builds one operation per call). The
 * answer every call gets, `{<field>: {success: <boolean>}}`, is checked by hand; anything else goes
 * through the zod schema, which words the ProtocolError.
 */
function answerParser(field: string): (data: unknown) => ActionResult {
	let parser = answerParsers.get(field);
	if (!parser) {
		const schema = z.object({ [field]: z.object({ success: z.boolean() }) });
		const viaSchema = parseWith(field, schema, (data) => ({
			success: (data[field] as ActionResult).success,
		}));
		parser = (data) => {
			if (data !== null && typeof data === 'object') {
				const answer = (data as Record<string, unknown>)[field];
				if (
					answer !== null &&
					typeof answer === 'object' &&
					typeof (answer as { success?: unknown }).success === 'boolean'
				) {
					return { success: (answer as ActionResult).success };
				}
			}
			return viaSchema(data);
		};
		answerParsers.set(field, parser);
	}
	return parser;
}
