using Dataphin.OpenApi.Quickstart;

// With no configuration this runs against the embedded Dataphin emulator; with DATAPHIN_ENDPOINT (or
// DATAPHIN_REGION_ID), ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET and DATAPHIN_TENANT_ID (or --endpoint/--region/--tenant)
// it talks to a real Dataphin. See QuickstartApp.RunAsync for the steps.
return await QuickstartApp.RunAsync(args, Console.Out, Environment.GetEnvironmentVariable);
