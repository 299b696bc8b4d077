// An HTTP endpoint an ETL scheduler calls after a job run to register the job's lineage in Dataphin.
//
//   Dataphin__Endpoint or Dataphin__RegionId, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, Lineage__TenantId
//   dotnet run --project samples/Dataphin.OpenApi.AspNetCore
//   curl -X POST http://localhost:5000/jobs/nightly_orders/lineage -H 'content-type: application/json' -d @job.json
using Dataphin.OpenApi.Samples.AspNetCore;

var app = LineageApi.Build(args);
app.Run();
