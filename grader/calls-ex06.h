/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calls-ex06.h: the calls nngrade can ask a probe of exercise 6 to make.
 *
 * Each request is the call's number followed by its arguments; each reply is
 * the status the student's function returned followed by its outputs (even on
 * an error, so that nngrade can see whether they were left untouched):
 *
 *   NNG_EX6_PEAKS     request: p (vector), z (double, its value before the call)
 *                     reply:   status, z
 *   NNG_EX6_GRADIENT  request: p (vector), grad (vector, before)
 *                     reply:   status, grad
 *   NNG_EX6_STEP      request: p (vector, before), grad (vector), lr (double),
 *                              ascent (int)
 *                     reply:   status, p
 *   NNG_EX6_DESCEND   request: p0 (vector), lr (double), ascent (int),
 *                              path (matrix, before), z (vector, before)
 *                     reply:   status, path, z
 */
#ifndef NNG_CALLS_EX06_H
#define NNG_CALLS_EX06_H

enum {
  NNG_EX6_PEAKS = 1,
  NNG_EX6_GRADIENT,
  NNG_EX6_STEP,
  NNG_EX6_DESCEND
};

#endif /* NNG_CALLS_EX06_H */
