/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proto.h: the messages between nngrade and the probe that runs student code.
 *
 * nngrade never calls student code itself. For every test it starts a probe:
 * a small program linked with the student's object file, running in its own
 * process under limits. The test, in nngrade, sends the probe a request
 * ("call ex1_dot with these vectors") and reads back a reply ("status 0,
 * result 1.665"); the verdict is computed by nngrade from the reply, so
 * nothing the probe prints or does can decide it.
 *
 * A message is a frame: a header of two 32-bit words, the magic number and
 * the payload length, then the payload, a sequence of typed values:
 *
 *   int     tag 'i', 8 bytes (int64)
 *   double  tag 'd', 8 bytes
 *   vector  tag 'v', size (8 bytes), then size doubles
 *   matrix  tag 'm', rows and cols (8 bytes each), then rows*cols doubles, by row
 *   string  tag 's', length (8 bytes), then that many bytes (no NUL)
 *
 * Both ends read with checks: a wrong tag, a size that does not fit, or a
 * frame longer than NNG_MSG_MAX marks the message bad (msg->error) and every
 * later read fails, so a probe that writes garbage only fails its own test.
 * Requests begin with the function's number; replies with the status the
 * student's function returned.
 */
#ifndef NNG_PROTO_H
#define NNG_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#define NNG_MSG_MAGIC 0x6e6e6731u      /* "nng1" */
#define NNG_MSG_MAX (64u << 20)        /* 64 MiB: far above any test's data */

typedef struct nng_msg {
  unsigned char *buf;  /* payload */
  size_t len;          /* bytes used */
  size_t cap;          /* bytes allocated */
  size_t pos;          /* read position */
  int error;           /* nonzero once a read or write went wrong */
} nng_msg;

void nng_msg_init(nng_msg *m);
void nng_msg_clear(nng_msg *m);     /* empty it, keep the buffer */
void nng_msg_release(nng_msg *m);   /* free the buffer */

void nng_msg_put_int(nng_msg *m, int64_t v);
void nng_msg_put_double(nng_msg *m, double v);
void nng_msg_put_vector(nng_msg *m, const gsl_vector *v);
void nng_msg_put_matrix(nng_msg *m, const gsl_matrix *a);
void nng_msg_put_string(nng_msg *m, const char *s);

/* Each get returns 0 on success and -1 when the message is bad. */
int nng_msg_get_int(nng_msg *m, int64_t *v);
int nng_msg_get_double(nng_msg *m, double *v);
/* Copy the next string into s (size bytes), cut to fit and NUL-terminated. */
int nng_msg_get_string(nng_msg *m, char *s, size_t size);
/* Allocate a vector/matrix holding the next value; the caller frees it. */
int nng_msg_get_vector_alloc(nng_msg *m, gsl_vector **v);
int nng_msg_get_matrix_alloc(nng_msg *m, gsl_matrix **a);
/* Read the next vector into v, which must have the same size. */
int nng_msg_get_vector_into(nng_msg *m, gsl_vector *v);
/* Read the next matrix into a, which must have the same shape. */
int nng_msg_get_matrix_into(nng_msg *m, gsl_matrix *a);

/* Write the frame to fd; 0 on success, -1 on a write error. */
int nng_msg_send(int fd, const nng_msg *m);

/* Decode one frame from the bytes in (data, len). Returns the number of bytes
 * it used, 0 when more bytes are needed, -1 when the frame is bad. */
long nng_msg_parse(nng_msg *m, const unsigned char *data, size_t len);

/* Blocking read of one frame from fd (used by the probe); 0 on success,
 * -1 on end of file or a bad frame. */
int nng_msg_recv(int fd, nng_msg *m);

#endif /* NNG_PROTO_H */
