/* sys/ioctl.h - ioctl() and the requests vmos knows (uapi/ioctl.h). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include "uapi/ioctl.h"

int ioctl(int fd, unsigned long request, ... /* void *arg */);

#endif /* _SYS_IOCTL_H */
