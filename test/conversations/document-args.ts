import {
	Kind,
	parse,
	valueFromASTUntyped,
	type FieldNode,
	type OperationDefinitionNode,
} from 'graphql';

import type { AnyOperation } from '../../src/conversations';

/**
 * What a document really asks for, read from its AST the way a GraphQL server reads it: the
 * operation, its variable definitions, and the root field's name and arguments as plain values.
 * Injection is checked here, not only end to end: a value that escaped its literal shows up as an
 * extra argument, field or operation.
 */
export interface ParsedDocument {
	operations: number;
	variableDefinitions: number;
	rootFields: string[];
	field: string;
	args: Record<string, unknown>;
}

export function parseDocument(operation: AnyOperation): ParsedDocument {
	const document = parse(operation.document);
	const definitions = document.definitions.filter(
		(d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
	);
	const definition = definitions[0];
	const fields = definition.selectionSet.selections.filter(
		(s): s is FieldNode => s.kind === Kind.FIELD,
	);
	const root = fields[0];
	const args: Record<string, unknown> = {};
	for (const arg of root.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
	return {
		operations: definitions.length,
		variableDefinitions: definition.variableDefinitions?.length ?? 0,
		rootFields: fields.map((f) => f.name.value),
		field: root.name.value,
		args,
	};
}
