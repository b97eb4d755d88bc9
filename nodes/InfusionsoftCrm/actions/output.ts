import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

/**
 * An output row with binary data beside its JSON (a downloaded file). The router redacts and
 * shapes the JSON as any row's, and passes the binary data as it came: the bytes are the
 * customer's file, and changing any of them would corrupt it.
 */
export class WithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}
