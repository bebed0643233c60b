import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Shows a list of fields only for one resource and operation (Airtable v2's helper, which lives in
 * n8n-nodes-base and is not available to community packages): each field keeps its own
 * displayOptions, merged with the given ones.
 */
export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			...(displayOptions.hide || property.displayOptions?.hide
				? { hide: { ...displayOptions.hide, ...property.displayOptions?.hide } }
				: {}),
		},
	}));
}
