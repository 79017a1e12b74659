/*
 * uapi/uio.h - struct iovec, one piece of a scattered buffer.
 *
 * sendmsg() and recvmsg() take an array of these; the data is the
 * concatenation of the pieces in order.
 */
#ifndef UAPI_UIO_H
#define UAPI_UIO_H

#include "uapi/types.h"

struct iovec {
	void  *iov_base;        /* start of the piece */
	size_t iov_len;         /* its length in bytes */
};

#endif /* UAPI_UIO_H */
