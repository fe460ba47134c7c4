import 'reflect-metadata';

// No telemetry or cloud-metadata probes from Apollo libraries in tests either.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.METADATA_SERVER_DETECTION = 'none';
