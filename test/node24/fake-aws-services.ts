// Secrets Manager, Step Functions and SNS as the handler bundles' SDK clients speak them (AWS JSON 1.1, JSON 1.0 and
// Query), on loopback: enough for GetSecretValue, StartExecution and Publish, recording what was asked.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedExecution {
  name: string;
  stateMachineArn: string;
  input: unknown;
}

export interface FakeAwsRecord {
  executions: RecordedExecution[];
  notifications: Array<{ topicArn: string; subject: string; message: unknown }>;
  secretReads: number;
}

export interface FakeAwsServices {
  readonly url: string;
  readonly record: FakeAwsRecord;
  close(): Promise<void>;
}

export interface FakeAwsOptions {
  secretId: string;
  secretJson: string;
}

function sendJson(res: ServerResponse, status: number, body: unknown, version: '1.0' | '1.1'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function publishAnswer(res: ServerResponse): void {
  const xml = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`;
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(xml);
}

/** The request handler: one operation per service, each recording into `record`. */
function createHandler(
  options: FakeAwsOptions,
  record: FakeAwsRecord,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const getSecretValue = (res: ServerResponse, request: { SecretId?: string }): void => {
    record.secretReads += 1;
    if (request.SecretId !== options.secretId) {
      sendJson(
        res,
        400,
        { __type: 'ResourceNotFoundException', message: 'Secrets Manager can’t find the specified secret.' },
        '1.1',
      );
      return;
    }
    sendJson(
      res,
      200,
      { ARN: options.secretId, Name: 'onelogin', SecretString: options.secretJson, VersionId: randomUUID() },
      '1.1',
    );
  };

  const startExecution = (
    res: ServerResponse,
    request: { name?: string; stateMachineArn?: string; input?: string },
  ): void => {
    const name = request.name ?? randomUUID();
    if (record.executions.some((execution) => execution.name === name)) {
      sendJson(res, 400, { __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${name}'` }, '1.0');
      return;
    }
    record.executions.push({
      name,
      stateMachineArn: request.stateMachineArn ?? '',
      input: JSON.parse(request.input ?? 'null'),
    });
    sendJson(res, 200, { executionArn: `${request.stateMachineArn}:${name}`, startDate: Date.now() / 1000 }, '1.0');
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (req.method === 'GET' && req.url === '/__recorded') {
      sendJson(res, 200, record, '1.0');
      return;
    }
    const target = req.headers['x-amz-target'];
    if (target === 'secretsmanager.GetSecretValue') return getSecretValue(res, JSON.parse(body));
    if (target === 'AWSStepFunctions.StartExecution') return startExecution(res, JSON.parse(body));
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'Publish') {
      record.notifications.push({
        topicArn: form.get('TopicArn') ?? '',
        subject: form.get('Subject') ?? '',
        message: JSON.parse(form.get('Message') ?? 'null'),
      });
      publishAnswer(res);
      return;
    }
    sendJson(
      res,
      400,
      { __type: 'UnknownOperationException', message: `not emulated: ${String(target ?? form.get('Action'))}` },
      '1.0',
    );
  };
}

export async function startFakeAwsServices(options: FakeAwsOptions): Promise<FakeAwsServices> {
  const record: FakeAwsRecord = { executions: [], notifications: [], secretReads: 0 };
  const handle = createHandler(options, record);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendJson(res, 500, { __type: 'InternalFailure', message: String(error) }, '1.0');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    record,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
