import type { z } from 'zod';

import { ProtocolError } from '../shared';

/**
 * A GraphQL query or mutation the session can run: the document, its variables, and how to read the
 * answer. Operations are plain data plus a parser, so a cross-process transport can ship
 * `document` and `variables` elsewhere and still parse the answer here.
 */
export interface Operation<T> {
	readonly kind: 'query' | 'mutation';
	/** The operation's name in the document, also sent as `operationName`. */
	readonly name: string;
	readonly document: string;
	/** Every user-supplied value travels here, never inside `document`. */
	readonly variables: Record<string, unknown>;
	/**
	 * Safe to send again when the socket dropped before the answer came (queries, and sends that
	 * carry a client-chosen msg_id so a repeat is recognisable).
	 */
	readonly idempotent: boolean;
	/** Reads `payload.data`; throws ProtocolError when the answer does not have the expected shape. */
	parse(data: unknown): T;
}

/**
 * A GraphQL subscription. `select` runs once per DATA frame, so it only checks the shape cheaply
 * (no schema parse on the hot path) and returns undefined for a payload it cannot read.
 */
export interface SubscriptionOperation<T> {
	readonly kind: 'subscription';
	readonly name: string;
	readonly document: string;
	readonly variables: Record<string, unknown>;
	/** The event inside `payload.data`, or undefined when the frame does not carry one. */
	select(data: unknown): T | undefined;
	/** A stable id of the event, used to drop an event repeated across a reconnect. */
	eventId(event: T): string | undefined;
}

export type AnyOperation = Operation<unknown> | SubscriptionOperation<unknown>;

/** The GraphQL scalar types variables are declared with. */
export type VariableType = 'String!' | 'ID!';

/**
 * Collects the variables of one document. Structured arguments (lists of objects) are written into
 * the document with one scalar variable per leaf, e.g. `[{text: $qr0_text}]`, so the document never
 * names an input type the public references do not show, and user text still only travels as data.
 * Variable names are made here from fixed prefixes and indexes, never from input.
 */
export class DocumentVariables {
	private readonly definitions: string[] = [];
	readonly values: Record<string, unknown> = {};

	/** Declares `$name: type` bound to `value` and returns the reference `$name`. */
	bind(name: string, type: VariableType, value: string): string {
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name in this.values) {
			// A programming error of an operation builder, never a user input problem.
			throw new Error(`invalid or repeated GraphQL variable name ${name}`);
		}
		this.definitions.push(`$${name}: ${type}`);
		this.values[name] = value;
		return `$${name}`;
	}

	/** `($a: String!, $b: ID!)`, or nothing when the document has no variables. */
	declaration(): string {
		return this.definitions.length === 0 ? '' : `(${this.definitions.join(', ')})`;
	}
}

/** Builds a parser from a zod schema of `payload.data` and a function picking the result out of it. */
export function parseWith<S extends z.ZodTypeAny, T>(
	operationName: string,
	schema: S,
	pick: (data: z.infer<S>) => T,
): (data: unknown) => T {
	return (data) => {
		const result = schema.safeParse(data);
		if (!result.success) {
			const issue = result.error.issues[0];
			const where = issue.path.length > 0 ? issue.path.join('.') : 'data';
			throw new ProtocolError('conversations', `unexpected answer to ${operationName}: ${where}: ${issue.message}`, data);
		}
		return pick(result.data);
	};
}
