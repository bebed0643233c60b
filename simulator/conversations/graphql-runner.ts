import {
	execute,
	getOperationAST,
	GraphQLError,
	Kind,
	parse,
	validate,
	type DocumentNode,
	type ExecutionResult,
	type FieldNode,
	type FragmentDefinitionNode,
	type GraphQLSchema,
	type OperationDefinitionNode,
	type SelectionSetNode,
} from 'graphql';

import { WorldError } from '../world/chat-world';
import {
	ConversationsError,
	errorEntry,
	failure,
	type ApiErrorEntry,
	type ApiFailure,
} from './errors';

/** seeds/chat-conversations-api-overview.txt "Rate limits": GraphQL queries have a maximum depth of 11. */
export const MAX_QUERY_DEPTH = 11;

/** A request payload that parsed, validated and picked one operation. */
export interface PreparedRequest {
	/** The schema the request was validated against: it runs (and a subscription publishes) under it. */
	schema: GraphQLSchema;
	query: string;
	document: DocumentNode;
	operation: OperationDefinitionNode;
	operationName: string | undefined;
	variables: Record<string, unknown>;
	/** The operation's root fields, fragments expanded. */
	rootFieldNodes: FieldNode[];
	/** Their names (not aliases). */
	rootFields: string[];
}

export function isFailure(value: unknown): value is ApiFailure {
	return typeof value === 'object' && value !== null && 'errors' in value && 'status' in value;
}

/**
 * Checks a request payload `{query, variables?, operationName?}` (getting-started "Request payload")
 * the way a GraphQL server does: parse, validate against the schema, pick the operation, and enforce
 * the depth limit. Every refusal is GRAPHQL_EXEC_ERROR ("invalid request structure") with graphql's own
 * message, for subscriptions too (unverified: GRAPHQL_SUB_START_ERROR is kept for a valid subscription
 * that fails to start, so clients do not retry a document that can never work).
 * `schema` is the one this simulator instance serves (schema.ts, SchemaVariant).
 */
export function prepareRequest(
	payload: unknown,
	schema: GraphQLSchema,
): PreparedRequest | ApiFailure {
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
		return failure(
			'GRAPHQL_EXEC_ERROR',
			'the request payload must be a JSON object {query, variables?, operationName?}',
		);
	}
	const { query, variables, operationName } = payload as Record<string, unknown>;
	if (typeof query !== 'string' || query.trim() === '') {
		return failure('GRAPHQL_EXEC_ERROR', 'the request payload needs a "query" string');
	}
	if (
		variables !== undefined &&
		variables !== null &&
		(typeof variables !== 'object' || Array.isArray(variables))
	) {
		return failure('GRAPHQL_EXEC_ERROR', '"variables" must be a JSON object');
	}
	if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
		return failure('GRAPHQL_EXEC_ERROR', '"operationName" must be a string');
	}
	let document: DocumentNode;
	try {
		document = parse(query);
	} catch (error) {
		if (error instanceof GraphQLError) return failure('GRAPHQL_EXEC_ERROR', error.message);
		throw error;
	}
	const invalid = validate(schema, document);
	if (invalid.length > 0) {
		return { status: 400, errors: invalid.map((e) => errorEntry('GRAPHQL_EXEC_ERROR', e.message)) };
	}
	const operation = getOperationAST(document, operationName ?? undefined);
	if (!operation) {
		const message = operationName
			? `Unknown operation named "${operationName}".`
			: 'Must provide operation name if query contains multiple operations.';
		return failure('GRAPHQL_EXEC_ERROR', message);
	}
	const fragments = fragmentsOf(document);
	const depth = selectionDepth(operation.selectionSet, fragments, true);
	if (depth > MAX_QUERY_DEPTH) {
		return failure(
			'GRAPHQL_EXEC_ERROR',
			`query depth ${depth} exceeds the maximum depth of ${MAX_QUERY_DEPTH}`,
		);
	}
	const rootFieldNodes = rootFieldsOf(operation.selectionSet, fragments);
	return {
		schema,
		query,
		document,
		operation,
		operationName: operationName ?? undefined,
		variables: (variables as Record<string, unknown> | null | undefined) ?? {},
		rootFieldNodes,
		rootFields: rootFieldNodes.map((field) => field.name.value),
	};
}

/** Executes a prepared request; `rootValue` holds the root fields' resolvers. */
export async function runPrepared(
	prepared: PreparedRequest,
	rootValue: unknown,
	contextValue?: unknown,
): Promise<ExecutionResult | ApiFailure> {
	let result: ExecutionResult;
	try {
		result = await execute({
			schema: prepared.schema,
			document: prepared.document,
			operationName: prepared.operationName,
			variableValues: prepared.variables,
			rootValue,
			contextValue,
		});
	} catch (error) {
		return failure('GRAPHQL_EXEC_ERROR', `internal error: ${(error as Error).message}`, 500);
	}
	return result.errors?.length ? failureOf(result.errors) : { data: result.data };
}

/** graphql errors as graphQLErrorPayload entries; the first error decides the errorCode. */
export function failureOf(errors: readonly GraphQLError[]): ApiFailure {
	let status: number | undefined;
	let retryAfter: number | undefined;
	const entries: ApiErrorEntry[] = errors.map((error) => {
		const original = error.originalError;
		if (original instanceof ConversationsError) {
			status ??= original.status;
			retryAfter ??= original.retryAfter;
			return errorEntry(original.errorName, original.message);
		}
		// No original error: graphql refused the request itself (e.g. a variable of the wrong type).
		// A WorldError is a bad argument (unknown chat, ended chat). Anything else is our bug: 500.
		const internal =
			original !== undefined &&
			!(original instanceof GraphQLError) &&
			!(original instanceof WorldError);
		status ??= internal ? 500 : 400;
		return errorEntry('GRAPHQL_EXEC_ERROR', error.message);
	});
	return { status: status ?? 400, errors: entries, retryAfter };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
	const fragments = new Map<string, FragmentDefinitionNode>();
	for (const definition of document.definitions) {
		if (definition.kind === Kind.FRAGMENT_DEFINITION)
			fragments.set(definition.name.value, definition);
	}
	return fragments;
}

/**
 * Depth in fields: `{ a { b } }` is 2. Fragments count as the fields they hold. Introspection
 * (__schema, __type) is left out (unverified): the doc recommends ChromiQL against this endpoint, and
 * graphql's standard introspection query is deeper than 11.
 */
function selectionDepth(
	set: SelectionSetNode,
	fragments: Map<string, FragmentDefinitionNode>,
	root = false,
): number {
	let deepest = 0;
	for (const selection of set.selections) {
		if (selection.kind === Kind.FIELD) {
			if (root && selection.name.value.startsWith('__') && selection.name.value !== '__typename')
				continue;
			const below = selection.selectionSet ? selectionDepth(selection.selectionSet, fragments) : 0;
			deepest = Math.max(deepest, 1 + below);
		} else if (selection.kind === Kind.INLINE_FRAGMENT) {
			deepest = Math.max(deepest, selectionDepth(selection.selectionSet, fragments, root));
		} else {
			const fragment = fragments.get(selection.name.value);
			if (fragment)
				deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, fragments, root));
		}
	}
	return deepest;
}

function rootFieldsOf(
	set: SelectionSetNode,
	fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
	const fields: FieldNode[] = [];
	for (const selection of set.selections) {
		if (selection.kind === Kind.FIELD) fields.push(selection);
		else if (selection.kind === Kind.INLINE_FRAGMENT)
			fields.push(...rootFieldsOf(selection.selectionSet, fragments));
		else {
			const fragment = fragments.get(selection.name.value);
			if (fragment) fields.push(...rootFieldsOf(fragment.selectionSet, fragments));
		}
	}
	return fields;
}
