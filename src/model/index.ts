// Public surface of the model library (used by workers and Node tools).
export * from './types';
export { defaultConfig, validateConfig, cxrGridSide, ecgTokens, type MedbindConfig } from './config';
export { initBackend, probeWebGpu, type BackendInit, type BackendRequest } from './backend';
export { Tokenizer, type VocabJson } from './tokenizer';
export { createParams, paramSpecs, countParams, type ParamMap, type Params } from './params';
export { cxrForward } from './encoders/cxr';
export { ecgForward } from './encoders/ecg';
export { textForward } from './encoders/text';
export { tmcl, emcl, textIdsOf } from './losses';
export { createTrainer, type Trainer, type TrainBatch, type LossParts, type TrainerState, type TrainerOptions } from './train';
export { lrAt } from './optimizer';
export { recallAtK, recallAtKByKey, balancedAccuracy, confusionMatrix, cosineMatrix, argmaxRows } from './metrics';
export { PAPER_PROMPT_SETS, classEmbeddings, classPrompts, zeroShotPredict, type PromptSet } from './zeroshot';
export { trainLinearProbe, predictProbe, fewShotEval, sampleSupport, crossModalZeroShot, type FewShotResult } from './fewshot';
export { registerTrainingKernels, restoreStockKernels } from './kernels';
