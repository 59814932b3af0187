// The clinical-prediction experiment (the paper's Table 4): LoRA-tuned text encoder with soft tokens from
// frozen CXR/ECG embeddings, patient-grouped cross-validation, saved predictors.
export * from './types';
export * from './template';
export { clinicalSpecs, loraName, softProjName, HEAD_NAME } from './params';
export { loraAdapter, mergedQkv } from './lora';
export { clinicalLogits, clinicalPooled, clinicalSequence, type ClinicalBatch, type ForwardOptions } from './forward';
export { encodeTexts, ExampleTensors, predictProbabilities, trainPredictor, type TrainedPredictor } from './train';
export { clinicalFolds, crossValidate, metricsWithCi, probabilityAuroc, DEFAULT_FOLDS, type CvProgress, type CvResult } from './evaluate';
export { applyPredictor, isPredictorLineage, tensorsOf, type PredictorLineage } from './predictor';
export { BUILTIN_TASKS, outcomeClasses, outcomeOf, type BuiltinTask, type OutcomeItem, type OutcomeSpec } from './tasks';
export { buildExamples, type BuiltExamples, type ExampleItem } from './examples';
