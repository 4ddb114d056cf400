// Publishes a job's summary to the notification topic.

import type { SNSClient } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';
import { summarySubject } from '../shared/run-summary-message.ts';

export function createSnsNotifier(client: SNSClient, topicArn: string): (message: RunSummaryMessage) => Promise<void> {
  return async (message) => {
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: summarySubject(message),
        Message: JSON.stringify(message, null, 2),
        MessageAttributes: {
          mode: { DataType: 'String', StringValue: message.mode },
          status: { DataType: 'String', StringValue: message.status },
          ...(message.account?.name === undefined
            ? {}
            : { account: { DataType: 'String', StringValue: message.account.name } }),
        },
      }),
    );
  };
}
