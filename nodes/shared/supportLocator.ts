import type { INodeProperties } from 'n8n-workflow';

/** Zendesk ids are positive integers; the By ID mode accepts their digits only. */
export const NUMERIC_ID_REGEX = '^[1-9][0-9]{0,19}$';

export interface SupportLocatorOptions {
	displayName: string;
	name: string;
	/** The methods.listSearch function that fills the list. */
	searchListMethod: string;
	/** Whether the list has a search box: only where the Support API can search. */
	searchable: boolean;
	description: string;
	placeholderId: string;
}

/**
 * A Zendesk record as a resource locator: From List (needs the Support API credential) or By ID
 * (works without one). The value is the numeric id as text either way.
 */
export function supportLocator(options: SupportLocatorOptions): INodeProperties {
	const noun = options.displayName.toLowerCase();
	const article = /^[aeiou]/.test(noun) ? 'an' : 'a';
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${article} ${noun}...`,
				typeOptions: { searchListMethod: options.searchListMethod, searchable: options.searchable },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${options.placeholderId}`,
				hint: `The ${noun}'s numeric ID in Zendesk`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: NUMERIC_ID_REGEX,
							errorMessage: `Not a Zendesk ${noun} ID: use its digits only`,
						},
					},
				],
			},
		],
	};
}

/**
 * The id in a locator's value. Workflows saved before these fields were locators hold the id as a
 * plain string (or number, from an expression), and are read the same way.
 */
export function locatorValue(raw: unknown): unknown {
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && '__rl' in raw)
		return (raw as { value?: unknown }).value;
	return raw;
}
