import type { SimulatorProfile } from './simulatorOptions.js';

/** A friendly 40-word reply naming the profile, so demo users see which simulated provider answered. */
function demoReply(profileId: string, character: string): string {
  return (
    `Hello! This is a simulated reply from the ${profileId} demo profile of the Switchyard provider simulator. ` +
    `No real model was called, so this reply is free. ${character} ` +
    'Configure real providers for real answers.'
  );
}

/** Three fake providers with different speed profiles for the gateway's demo mode (no API keys). */
export const DEMO_PROFILES: readonly SimulatorProfile[] = Object.freeze([
  {
    id: 'swift',
    defaults: { ttftMs: 120, tokensPerSecond: 180, completionTokens: 40, replyText: demoReply('swift', 'It starts fast and streams words quickly too.') },
  },
  {
    id: 'thrifty',
    defaults: { ttftMs: 700, tokensPerSecond: 35, completionTokens: 40, replyText: demoReply('thrifty', 'It is slow but it is the cheapest.') },
  },
  {
    id: 'steady',
    defaults: { ttftMs: 300, tokensPerSecond: 90, completionTokens: 40, replyText: demoReply('steady', 'It is nicely balanced on speed and price.') },
  },
]);
