// Tests talk only to loopback: without this, google-auth-library (under firebase-admin) probes the
// GCE metadata server (169.254.169.254) for credentials. Child processes inherit the setting.
process.env.METADATA_SERVER_DETECTION ??= 'none';
