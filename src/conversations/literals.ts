/**
 * GraphQL literals for values written into a document. User values never travel as typed GraphQL
 * variables: the real argument types of most mutations are not public (conversations-api-schema.md
 * shows only a few), and a variable whose declared type differs from the argument's (`$msg_id:
 * String!` for an `ID`, `$department_id: ID!` for a `String!`) is refused, while a string literal is
 * accepted by a `String` and an `ID` argument alike (NOTES.md section 1, "How to pass values").
 */

/** A lone UTF-16 surrogate: GraphQL refuses one, escaped or not, so it becomes U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Any text as a GraphQL string literal. JSON's string escapes (`\"`, `\\`, `\n`, `\uXXXX`, ...) are
 * exactly GraphQL's, so the value can end nothing early: whatever it holds, it stays one argument.
 */
export function stringLiteral(value: string): string {
	// JSON.stringify writes a lone surrogate as a `\udxxx` escape and nothing else as one, so text
	// without that escape in its JSON (nearly all) needs no pass of the lone-surrogate expression.
	// A value that merely holds the characters `\ud` takes the slow path too, with the same result.
	const json = JSON.stringify(value);
	return json.includes('\\ud') ? JSON.stringify(value.replace(LONE_SURROGATE, '\uFFFD')) : json;
}

/** A validated boolean (not user text). */
export function booleanLiteral(value: boolean): string {
	return value ? 'true' : 'false';
}

/** An enum value: only names from a fixed list reach here, and the check keeps it that way. */
export function enumLiteral(value: string): string {
	if (!/^[A-Z][A-Z0-9_]*$/.test(value))
		throw new Error(`not a GraphQL enum value: ${JSON.stringify(value)}`);
	return value;
}

/** `[a, b]` of literals already written. */
export function listLiteral(items: readonly string[]): string {
	return `[${items.join(', ')}]`;
}

/** `{name: literal, ...}`, leaving out fields whose literal is undefined. Names are fixed by the builders. */
export function objectLiteral(fields: Record<string, string | undefined>): string {
	const parts: string[] = [];
	for (const [name, literal] of Object.entries(fields))
		if (literal !== undefined) parts.push(`${name}: ${literal}`);
	return `{${parts.join(', ')}}`;
}

/** `name: literal, ...` for a field's argument list, leaving out arguments whose literal is undefined. */
export function argumentList(args: Record<string, string | undefined>): string {
	return objectLiteral(args).slice(1, -1);
}

/** A string literal for a defined value, else undefined (an optional argument left out). */
export function optionalString(value: string | undefined): string | undefined {
	return value === undefined ? undefined : stringLiteral(value);
}

/** A boolean literal for a defined value, else undefined. */
export function optionalBoolean(value: boolean | undefined): string | undefined {
	return value === undefined ? undefined : booleanLiteral(value);
}
