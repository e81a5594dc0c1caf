/**
 * aws-sdk/: what Coffer's own outgoing AWS SDK clients share (the connectors' DynamoDB and S3
 * clients, the S3 vault storage's), as opposed to aws/, the server side of the AWS protocols.
 *
 * On Node below 22 the first SDK client a process makes prints, on stderr, that SDK releases
 * after January 2027 will need Node 22 (NodeVersionSupportWarning). Coffer pins its SDK version
 * and supports Node 20, so the warning tells an operator nothing and makes `coffer serve`'s
 * stderr look like something went wrong. This turns off exactly that warning, with the SDK's own
 * switch for it (every other warning still shows); an operator's explicit setting is kept.
 * Call it before constructing any SDK client.
 */
export function silenceNodeVersionSupportWarning(): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}
