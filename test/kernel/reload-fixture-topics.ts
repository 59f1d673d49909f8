import { defineRequest, defineTopic, z } from '../../sdk';

/** Topics shared between the hot-reload tests and the plugin files they write to disk. */
export const Answer = defineRequest({
  name: 'fixture.answer',
  version: '1.0.0',
  description: 'Which plugin version answers, and its configured label.',
  request: z.object({}).strict(),
  response: z.object({ version: z.string(), word: z.string() }).strict(),
});

export const Count = defineTopic({ name: 'fixture.count', version: '1.0.0', description: 'A numbered message.', schema: z.object({ n: z.number().int() }).strict() });

export const Counted = defineTopic({
  name: 'fixture.counted',
  version: '1.0.0',
  description: 'Message n was handled by plugin version `by`.',
  schema: z.object({ n: z.number().int(), by: z.string() }).strict(),
});
