/**
 * The networks of {@code io.anytext2.nn} on DJL's PyTorch engine: {@link io.anytext2.trainer.djl.DjlOps}
 * (eager {@code TensorOps} with autograd, BatchNorm in train or eval mode by key prefix) and
 * {@link io.anytext2.trainer.djl.ParameterStore} (parameters by official checkpoint key), the training
 * device ({@link io.anytext2.trainer.djl.DeviceChoice}: auto, cpu, cuda[:N]) and the explicit
 * host/device crossings ({@link io.anytext2.trainer.djl.HostArrays}).
 */
package io.anytext2.trainer.djl;
