// What the lab needs from a loaded model version: its encoders (for embeddings), and its configuration
// and parameter map (for frozen features and the trainable head), plus the parameters it overrides
// relative to the shipped weights (what a fine-tuned version stores).
import type { MedbindConfig } from '../../model/config';
import type { ParamArrays } from '../../model/finetune/trainer';
import type { Params } from '../../model/params';
import type { Tokenizer } from '../../model/tokenizer';
import type { MedbindEncoders } from '../../model/types';

export interface VersionModel {
  readonly version: string;
  readonly config: MedbindConfig;
  readonly params: Params;
  readonly encoders: MedbindEncoders;
  /** Parameters that differ from the shipped weights (empty for the shipped version). */
  readonly overrides: ParamArrays;
  /** The text tokenizer (pair binding computes text features with it; the clinical predictor tokenizes its own templated text). */
  readonly tokenizer?: Tokenizer;
}

export interface ModelHost {
  /** The shipped weights' version id (manifest.version). */
  shippedVersion(): Promise<string>;
  /** The model of a version id (the shipped one or a stored fine-tuned one); cached. */
  model(version: string): Promise<VersionModel>;
  /** Drops a cached version (after it was deleted or replaced). */
  forget?(version: string): void;
}
