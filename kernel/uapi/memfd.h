/*
 * uapi/memfd.h - memfd_create(2)'s flags (Linux's values).
 */
#ifndef UAPI_MEMFD_H
#define UAPI_MEMFD_H

#define MFD_CLOEXEC        0x0001U  /* FD_CLOEXEC on the new descriptor */
#define MFD_ALLOW_SEALING  0x0002U  /* F_ADD_SEALS may be used (else F_SEAL_SEAL is set) */

#define MFD_NAME_MAX       249      /* bytes of a name, without its NUL */

#endif
