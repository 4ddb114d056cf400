// Imported first by the local entry points, before any AWS SDK module is evaluated: the local environment runs on the
// project's pinned Node 20, so the SDK's Node-version notice is only noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
