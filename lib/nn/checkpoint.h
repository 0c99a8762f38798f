/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/checkpoint.h: saving a network (and its optimizer) to a file, and
 * loading it back, bit for bit.
 *
 * Checkpoint often: a long training run that is stopped, or that begins to
 * overfit, can go back to the best epoch it saved (see early stopping in
 * nn/train.h).
 *
 * The file format, version 1. Every number is little-endian; f64 is an IEEE
 * 754 double, so a checkpoint reads back the same on every machine:
 *
 *   bytes        what
 *   8            magic: 0x89 'N' 'N' 'C' 'K' 'P' 'T' '\n'
 *   u32          version: 1
 *   u32          L, the number of layers
 *   u64 × (L+1)  the layer sizes s_0 .. s_L
 *   u32 × L      each layer's activation (nn_activation_kind)
 *   f64 × L      each layer's leaky-ReLU slope
 *   u64          P, the number of parameters
 *   f64 × P      the parameters, in the network's order (nn/network.h)
 *   u32          1 when optimizer state follows, else 0
 *   then, when it does:
 *     u32          the optimizer kind (nn_optim_kind)
 *     u64          the steps taken, t
 *     f64 × 11     its options: lr, weight_decay, momentum, dampening,
 *                  alpha, rho, beta1, beta2, eps, lr_decay,
 *                  initial_accumulator
 *     u32          K, the number of state vectors (0, 1 or 2)
 *     f64 × K·P    the state vectors, one after the other
 *   u32          CRC-32 (zlib's) of every byte before it
 *
 * Saving writes a new file next to PATH and renames it over PATH when it is
 * complete, so a crash half-way never leaves a broken checkpoint where a good
 * one was. Loading reads and checks the whole file first (magic, version,
 * lengths, checksum, that its shapes are the network's, and that its values
 * are ones the network and optimizer could hold: slopes in [0, 1), options
 * nn_optim_alloc would take, as many state vectors as those options keep)
 * and only then writes into the network and optimizer: a file that is
 * refused leaves them as they were.
 *
 * Errors: GSL_EFAILED for a file that is not a checkpoint, is truncated,
 * corrupted (checksum), of another version, of another shape than the
 * network or optimizer (the message names the file and what is wrong, with
 * both shapes), or holding a value out of range (named, with its range),
 * and with the system's reason when the file cannot be read or written;
 * GSL_EINVAL for NULL; GSL_ENOMEM.
 */
#ifndef NN_CHECKPOINT_H
#define NN_CHECKPOINT_H

#include <nn/network.h>
#include <nn/optim.h>

#define NN_CHECKPOINT_VERSION 1

/* Write NET's shape and parameters, and OPT's state when OPT is not NULL, to
 * PATH (replaced as a whole, see above). */
int nn_checkpoint_save(const char *path, const nn_network *net, const nn_optim *opt);

/* Read PATH into NET (which must have the file's layer sizes and
 * activations) and, when OPT is not NULL, into OPT (the file must hold the
 * state of an optimizer of the same kind over as many parameters). On any
 * error NET and OPT are unchanged. */
int nn_checkpoint_load(const char *path, nn_network *net, nn_optim *opt);

#endif /* NN_CHECKPOINT_H */
