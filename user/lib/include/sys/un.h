/* sys/un.h - UNIX-domain socket addresses (struct sockaddr_un, uapi/socket.h). */
#ifndef _SYS_UN_H
#define _SYS_UN_H

#include "uapi/socket.h"

#endif /* _SYS_UN_H */
