/** The AnyText2 training recipe (TRAINING.md) on DJL's PyTorch engine. */
package io.anytext2.trainer;
