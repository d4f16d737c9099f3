export type {
  Allocation,
  AllocationConfig,
  AllocationDetails,
  ArmCounts,
  BanditAlgorithm,
} from './types'
export type { RegretResult, SimulateRegretOptions } from './simulateRegret'
export { applyFloor } from './applyFloor'
export { assertArms } from './assertArms'
export { bestArms } from './bestArms'
export { computeAllocation } from './computeAllocation'
export { epsilonGreedyWeights } from './epsilonGreedyWeights'
export { sampleBeta } from './sampleBeta'
export { sampleGamma } from './sampleGamma'
export { sampleNormal } from './sampleNormal'
export { simulateRegret } from './simulateRegret'
export { thompsonWeights } from './thompsonWeights'
export { ucb1Weights } from './ucb1Weights'
