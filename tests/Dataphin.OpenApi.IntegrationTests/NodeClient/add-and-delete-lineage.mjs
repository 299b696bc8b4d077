// Calls a Dataphin endpoint with the official Alibaba Cloud OpenAPI client for Node.js (@alicloud/openapi-core),
// the way the generated dataphin-public SDK does: AddRegisterLineage, then DeleteRegisterLineage of one field lineage.
// Usage: node add-and-delete-lineage.mjs <endpoint host:port> <accessKeyId> <accessKeySecret> <tenantId> [securityToken]
// Prints one JSON line per call: {"action":..,"statusCode":..,"body":{..}}; exits 1 on an error.
import core from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';

const { $OpenApiUtil } = core;
const OpenApiClient = core.default;
const [endpoint, accessKeyId, accessKeySecret, tenantId, securityToken] = process.argv.slice(2);

const client = new OpenApiClient(new $OpenApiUtil.Config({
  accessKeyId,
  accessKeySecret,
  securityToken,
  endpoint,
  protocol: 'http',
}));

const field = (name) => ({
  IsDirect: true,
  Source: { Catalog: 'dataphin', Env: 'PROD', MetadataType: 'COLUMN', Name: name, ReferenceType: 'BY_PROPERTY', Schema: 'ods_project' },
  Target: {
    Guid: `odps.${tenantId}.dw_project.dwd_trade_order_di.${name}`,
    MetadataType: 'COLUMN',
    ParentGuid: `odps.${tenantId}.dw_project.dwd_trade_order_di`,
    ReferenceType: 'BY_GUID',
  },
});
const tables = {
  Source: { Catalog: 'dataphin', Env: 'PROD', MetadataSubType: 'PHYSICAL_TABLE', MetadataType: 'TABLE', Name: 'ods_trade_order', ReferenceType: 'BY_PROPERTY', Schema: 'ods_project' },
  Target: { Guid: `odps.${tenantId}.dw_project.dwd_trade_order_di`, MetadataType: 'TABLE', ReferenceType: 'BY_GUID' },
};

async function call(action, field, command) {
  const params = new $OpenApiUtil.Params({
    action, version: '2023-06-30', protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const request = new $OpenApiUtil.OpenApiRequest({
    query: $OpenApiUtil.default.query({ OpTenantId: tenantId }),
    body: $OpenApiUtil.default.parseToMap({ [field]: JSON.stringify(command) }),
  });
  const response = await client.callApi(params, request, new $dara.RuntimeOptions({}));
  console.log(JSON.stringify({ action, statusCode: response.statusCode, body: response.body }));
}

try {
  await call('AddRegisterLineage', 'AddRegisterLineageCommand', {
    CheckAssetExist: false,
    DetailedLineages: [field('pay_amount'), field('order_id')],
    RelationProperties: { description: '订单明细 ETL & load (external) +1', jobName: 'node_interop' },
    ...tables,
  });
  await call('DeleteRegisterLineage', 'DeleteRegisterLineageCommand', {
    CascadeDeleteLineage: true,
    DetailedLineages: [field('order_id')],
    ...tables,
  });
} catch (error) {
  console.log(JSON.stringify({ error: error.name, code: error.code, statusCode: error.statusCode, message: error.message }));
  process.exit(1);
}
