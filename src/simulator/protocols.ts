import { anthropicSimulatorProtocol } from './anthropic/anthropicSimulatorProtocol.js';
import { geminiSimulatorProtocol } from './gemini/geminiSimulatorProtocol.js';
import { openaiSimulatorProtocol } from './openai/openaiSimulatorProtocol.js';
import type { SimulatorProtocol } from './simulatorProtocol.js';

/** The native APIs the simulator speaks, tried in order; the first also answers unknown URLs. */
export const SIMULATOR_PROTOCOLS: readonly SimulatorProtocol[] = [openaiSimulatorProtocol, anthropicSimulatorProtocol, geminiSimulatorProtocol];
