/**
 * Test harness: runs workflows through n8n-core's real `WorkflowExecute`.
 *
 *   const result = await runWorkflow({
 *     nodeTypes: { 'CUSTOM.myNode': MyNode },
 *     credentialTypes: [MyApi],
 *     credentials: { myApi: { apiKey: 'k', baseUrl } },
 *     workflow: chain(
 *       manualTrigger(),
 *       itemsNode([{ id: 1 }, { id: 2 }]),
 *       node({ name: 'My', type: 'CUSTOM.myNode', parameters: { id: '={{$json.id}}' },
 *              credentials: ['myApi'], onError: 'continueRegularOutput' }),
 *     ),
 *   });
 *   result.outputOf('My'); result.error?.name; result.logText;
 */
export { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from './runWorkflow';
export {
	chain,
	itemsNode,
	manualTrigger,
	node,
	ITEMS_NODE_TYPE,
	MANUAL_TRIGGER_TYPE,
	type NodeSpec,
} from './harnessNodes';
export type { LogEntry } from './recordingLogger';
export type { CredentialUpdate } from './credentialsHelper';
export {
	listSearch,
	loadOptions,
	resourceMapperFields,
	type LoadOptionsRequest,
} from './loadOptions';
