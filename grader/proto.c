/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proto.c: the messages between nngrade and the probe (see proto.h). */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"

void
nng_msg_init(nng_msg *m)
{
  memset(m, 0, sizeof *m);
}

void
nng_msg_clear(nng_msg *m)
{
  m->len = m->pos = 0;
  m->error = 0;
}

void
nng_msg_release(nng_msg *m)
{
  free(m->buf);
  nng_msg_init(m);
}

static void
put_bytes(nng_msg *m, const void *p, size_t n)
{
  if (m->error)
    return;
  if (n > NNG_MSG_MAX - m->len) {
    m->error = 1;
    return;
  }
  if (m->len + n > m->cap) {
    size_t cap = m->cap ? m->cap : 256;
    while (cap < m->len + n)
      cap *= 2;
    unsigned char *b = realloc(m->buf, cap);
    if (b == NULL) {
      m->error = 1;
      return;
    }
    m->buf = b;
    m->cap = cap;
  }
  memcpy(m->buf + m->len, p, n);
  m->len += n;
}

static int
get_bytes(nng_msg *m, void *p, size_t n)
{
  if (m->error || n > m->len - m->pos) {
    m->error = 1;
    return -1;
  }
  memcpy(p, m->buf + m->pos, n);
  m->pos += n;
  return 0;
}

static void
put_tag(nng_msg *m, char tag)
{
  put_bytes(m, &tag, 1);
}

static int
get_tag(nng_msg *m, char tag)
{
  char t;
  if (get_bytes(m, &t, 1) != 0 || t != tag) {
    m->error = 1;
    return -1;
  }
  return 0;
}

void
nng_msg_put_int(nng_msg *m, int64_t v)
{
  put_tag(m, 'i');
  put_bytes(m, &v, sizeof v);
}

void
nng_msg_put_double(nng_msg *m, double v)
{
  put_tag(m, 'd');
  put_bytes(m, &v, sizeof v);
}

void
nng_msg_put_vector(nng_msg *m, const gsl_vector *v)
{
  uint64_t n = v->size;
  put_tag(m, 'v');
  put_bytes(m, &n, sizeof n);
  for (size_t i = 0; i < v->size; i++) {
    double x = gsl_vector_get(v, i);
    put_bytes(m, &x, sizeof x);
  }
}

void
nng_msg_put_matrix(nng_msg *m, const gsl_matrix *a)
{
  uint64_t r = a->size1, c = a->size2;
  put_tag(m, 'm');
  put_bytes(m, &r, sizeof r);
  put_bytes(m, &c, sizeof c);
  for (size_t i = 0; i < a->size1; i++)
    for (size_t j = 0; j < a->size2; j++) {
      double x = gsl_matrix_get(a, i, j);
      put_bytes(m, &x, sizeof x);
    }
}

void
nng_msg_put_string(nng_msg *m, const char *s)
{
  uint64_t n = strlen(s);
  put_tag(m, 's');
  put_bytes(m, &n, sizeof n);
  put_bytes(m, s, n);
}

int
nng_msg_get_int(nng_msg *m, int64_t *v)
{
  return get_tag(m, 'i') == 0 ? get_bytes(m, v, sizeof *v) : -1;
}

int
nng_msg_get_double(nng_msg *m, double *v)
{
  return get_tag(m, 'd') == 0 ? get_bytes(m, v, sizeof *v) : -1;
}

int
nng_msg_get_string(nng_msg *m, char *s, size_t size)
{
  uint64_t n;
  if (size == 0 || get_tag(m, 's') != 0 || get_bytes(m, &n, sizeof n) != 0
      || n > m->len - m->pos) {
    m->error = 1;
    return -1;
  }
  size_t keep = n < size ? n : size - 1;
  memcpy(s, m->buf + m->pos, keep);
  s[keep] = '\0';
  m->pos += n;
  return 0;
}

/* The count of doubles that follow must fit in what is left of the message. */
static int
fits(nng_msg *m, uint64_t count)
{
  if (m->error || count > (m->len - m->pos) / sizeof(double)) {
    m->error = 1;
    return 0;
  }
  return 1;
}

int
nng_msg_get_vector_alloc(nng_msg *m, gsl_vector **v)
{
  uint64_t n;
  *v = NULL;
  if (get_tag(m, 'v') != 0 || get_bytes(m, &n, sizeof n) != 0 || !fits(m, n))
    return -1;
  /* GSL refuses to allocate size 0; a block of one with size 0 is a valid
   * empty vector. */
  gsl_vector *r = gsl_vector_alloc(n ? n : 1);
  if (r == NULL) {
    m->error = 1;
    return -1;
  }
  r->size = n;
  for (size_t i = 0; i < n; i++) {
    double x;
    get_bytes(m, &x, sizeof x);
    gsl_vector_set(r, i, x);
  }
  *v = r;
  return 0;
}

int
nng_msg_get_matrix_alloc(nng_msg *m, gsl_matrix **a)
{
  uint64_t r, c;
  *a = NULL;
  if (get_tag(m, 'm') != 0 || get_bytes(m, &r, sizeof r) != 0
      || get_bytes(m, &c, sizeof c) != 0)
    return -1;
  if ((c != 0 && r > UINT64_MAX / c) || !fits(m, r * c))
    return -1;
  gsl_matrix *x = gsl_matrix_alloc(r ? r : 1, c ? c : 1);
  if (x == NULL) {
    m->error = 1;
    return -1;
  }
  x->size1 = r;
  x->size2 = c;
  x->tda = c ? c : 1;
  for (size_t i = 0; i < r; i++)
    for (size_t j = 0; j < c; j++) {
      double v;
      get_bytes(m, &v, sizeof v);
      gsl_matrix_set(x, i, j, v);
    }
  *a = x;
  return 0;
}

int
nng_msg_get_vector_into(nng_msg *m, gsl_vector *v)
{
  uint64_t n;
  if (get_tag(m, 'v') != 0 || get_bytes(m, &n, sizeof n) != 0 || n != v->size
      || !fits(m, n)) {
    m->error = 1;
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    double x;
    get_bytes(m, &x, sizeof x);
    gsl_vector_set(v, i, x);
  }
  return 0;
}

int
nng_msg_get_matrix_into(nng_msg *m, gsl_matrix *a)
{
  uint64_t r, c;
  if (get_tag(m, 'm') != 0 || get_bytes(m, &r, sizeof r) != 0
      || get_bytes(m, &c, sizeof c) != 0 || r != a->size1 || c != a->size2
      || (c != 0 && r > UINT64_MAX / c) || !fits(m, r * c)) {
    m->error = 1;
    return -1;
  }
  for (size_t i = 0; i < r; i++)
    for (size_t j = 0; j < c; j++) {
      double v;
      get_bytes(m, &v, sizeof v);
      gsl_matrix_set(a, i, j, v);
    }
  return 0;
}

static int
write_all(int fd, const void *p, size_t n)
{
  const unsigned char *b = p;
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    b += w;
    n -= (size_t) w;
  }
  return 0;
}

int
nng_msg_send(int fd, const nng_msg *m)
{
  if (m->error)
    return -1;
  uint32_t head[2] = {NNG_MSG_MAGIC, (uint32_t) m->len};
  if (write_all(fd, head, sizeof head) != 0)
    return -1;
  return m->len ? write_all(fd, m->buf, m->len) : 0;
}

long
nng_msg_parse(nng_msg *m, const unsigned char *data, size_t len)
{
  uint32_t head[2];
  if (len < sizeof head)
    return 0;
  memcpy(head, data, sizeof head);
  if (head[0] != NNG_MSG_MAGIC || head[1] > NNG_MSG_MAX)
    return -1;
  if (len - sizeof head < head[1])
    return 0;
  nng_msg_clear(m);
  put_bytes(m, data + sizeof head, head[1]);
  if (m->error)
    return -1;
  return (long) (sizeof head + head[1]);
}

static int
read_all(int fd, void *p, size_t n)
{
  unsigned char *b = p;
  while (n > 0) {
    ssize_t r = read(fd, b, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    b += r;
    n -= (size_t) r;
  }
  return 0;
}

int
nng_msg_recv(int fd, nng_msg *m)
{
  uint32_t head[2];
  nng_msg_clear(m);
  if (read_all(fd, head, sizeof head) != 0 || head[0] != NNG_MSG_MAGIC
      || head[1] > NNG_MSG_MAX)
    return -1;
  if (head[1] > m->cap) {
    unsigned char *b = realloc(m->buf, head[1]);
    if (b == NULL)
      return -1;
    m->buf = b;
    m->cap = head[1];
  }
  if (head[1] && read_all(fd, m->buf, head[1]) != 0)
    return -1;
  m->len = head[1];
  return 0;
}
