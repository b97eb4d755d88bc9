import { InfusionsoftCrmEventsTrigger } from '../InfusionsoftCrmEventsTrigger/InfusionsoftCrmEventsTrigger.node';

/**
 * The Events Trigger under the name n8n's node creator pairs with the action node: it lists a
 * node's triggers from the node type named like it plus "Trigger" only, so the action node's
 * page said it had none. `infusionsoftCrmEventsTrigger` stays, hidden from the creator, for the
 * workflows saved with it; both behave the same.
 */
export class InfusionsoftCrmTrigger extends InfusionsoftCrmEventsTrigger {
	constructor() {
		super();
		this.description = {
			...this.description,
			displayName: 'Infusionsoft CRM (Cloud Elements) Trigger',
			name: 'infusionsoftCrmTrigger',
			// Named here too: n8n's scanners and our package check read the icon from this file.
			icon: {
				light: 'file:../InfusionsoftCrm/infusionsoftCrm.svg',
				dark: 'file:../InfusionsoftCrm/infusionsoftCrm.dark.svg',
			},
			defaults: { name: 'Infusionsoft CRM Events' },
			hidden: undefined,
		};
	}
}
