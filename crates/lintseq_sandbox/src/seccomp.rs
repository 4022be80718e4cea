//! The system-call filter installed in every fully isolated sample, last,
//! just before the program runs.
//!
//! It is a deny list, as defence in depth behind the unprivileged user and
//! the namespaces: it shrinks the kernel surface a hostile program can
//! reach (new namespaces, mounts, ptrace, BPF, io_uring, userfaultfd, keys,
//! modules), keeps sockets to the families a program plausibly needs
//! (IPv4, IPv6, netlink; no Unix sockets into host paths, no vsock), and
//! kills the sample on a foreign system-call ABI. Denied calls fail with
//! EPERM (EAFNOSUPPORT for socket families), as if unsupported, so
//! ordinary programs see ordinary Python exceptions.
//!
//! The filter is built here as classic BPF and handed to the zygote as
//! bytes (`struct sock_filter[]`, native endian).

const LOAD_WORD: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JUMP_EQ: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JUMP_GE: u16 = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const JUMP_SET: u16 = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const RETURN: u16 = 0x06; // BPF_RET | BPF_K

const RET_ALLOW: u32 = 0x7fff_0000;
const RET_KILL_PROCESS: u32 = 0x8000_0000;
const RET_ERRNO: u32 = 0x0005_0000;

// Offsets in struct seccomp_data.
const OFFSET_NR: u32 = 0;
const OFFSET_ARCH: u32 = 4;
const OFFSET_ARG0: u32 = 16; // low 32 bits on little-endian machines

/// Namespace flags a `clone` may not carry (the low byte is the exit
/// signal, so CLONE_NEWTIME, which lives there, is clone3-only).
const CLONE_NAMESPACES: u32 = 0x7e02_0000;

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xc000_003e;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xc000_00b7;

/// System calls that fail with EPERM.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn denied() -> Vec<i64> {
    let mut calls = vec![
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_syslog,
        libc::SYS_acct,
        libc::SYS_quotactl,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_open_tree,
        libc::SYS_move_mount,
        libc::SYS_mount_setattr,
        libc::SYS_vhangup,
    ];
    #[cfg(target_arch = "x86_64")]
    calls.extend([
        libc::SYS_modify_ldt,
        libc::SYS_iopl,
        libc::SYS_ioperm,
        libc::SYS_uselib,
    ]);
    calls
}

/// Socket families a program may create.
const ALLOWED_FAMILIES: [i32; 3] = [libc::AF_INET, libc::AF_INET6, libc::AF_NETLINK];

#[derive(Clone, Copy)]
enum Target {
    Next,
    Label(Label),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Allow,
    Deny,
    NoSys,
    Kill,
    Socket,
    Clone,
}

enum Op {
    Load(u32),
    Jump {
        code: u16,
        k: u32,
        yes: Target,
        no: Target,
    },
    Return(u32),
    Mark(Label),
}

/// The filter for this machine's architecture, or `None` where we have no
/// system-call table.
pub(crate) fn filter() -> Option<Vec<u8>> {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        Some(assemble(&program()))
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        None
    }
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn program() -> Vec<Op> {
    use Label::*;
    use Target::{Label as To, Next};
    let nr = |call: i64| u32::try_from(call).expect("system call numbers are small");
    let mut ops = vec![
        Op::Load(OFFSET_ARCH),
        Op::Jump {
            code: JUMP_EQ,
            k: AUDIT_ARCH,
            yes: Next,
            no: To(Kill),
        },
        Op::Load(OFFSET_NR),
    ];
    // The x32 ABI shares x86_64's audit arch; its numbers have bit 30 set.
    #[cfg(target_arch = "x86_64")]
    ops.push(Op::Jump {
        code: JUMP_GE,
        k: 0x4000_0000,
        yes: To(Deny),
        no: Next,
    });
    for call in denied() {
        ops.push(Op::Jump {
            code: JUMP_EQ,
            k: nr(call),
            yes: To(Deny),
            no: Next,
        });
    }
    ops.push(Op::Jump {
        code: JUMP_EQ,
        k: nr(libc::SYS_socket),
        yes: To(Socket),
        no: Next,
    });
    ops.push(Op::Jump {
        code: JUMP_EQ,
        k: nr(libc::SYS_clone),
        yes: To(Clone),
        no: Next,
    });
    // glibc falls back to clone, whose flags we can inspect, on ENOSYS.
    ops.push(Op::Jump {
        code: JUMP_EQ,
        k: nr(libc::SYS_clone3),
        yes: To(NoSys),
        no: To(Allow),
    });

    ops.push(Op::Mark(Socket));
    ops.push(Op::Load(OFFSET_ARG0));
    for family in ALLOWED_FAMILIES {
        let family = u32::try_from(family).expect("address families are small");
        ops.push(Op::Jump {
            code: JUMP_EQ,
            k: family,
            yes: To(Allow),
            no: Next,
        });
    }
    ops.push(Op::Return(RET_ERRNO | errno(libc::EAFNOSUPPORT)));

    ops.push(Op::Mark(Clone));
    ops.push(Op::Load(OFFSET_ARG0));
    ops.push(Op::Jump {
        code: JUMP_SET,
        k: CLONE_NAMESPACES,
        yes: To(Deny),
        no: To(Allow),
    });

    ops.push(Op::Mark(Kill));
    ops.push(Op::Return(RET_KILL_PROCESS));
    ops.push(Op::Mark(NoSys));
    ops.push(Op::Return(RET_ERRNO | errno(libc::ENOSYS)));
    ops.push(Op::Mark(Deny));
    ops.push(Op::Return(RET_ERRNO | errno(libc::EPERM)));
    ops.push(Op::Mark(Allow));
    ops.push(Op::Return(RET_ALLOW));
    ops
}

fn errno(code: i32) -> u32 {
    u32::try_from(code).expect("errno values are small")
}

/// Resolves labels to relative jumps and encodes `struct sock_filter`s.
fn assemble(ops: &[Op]) -> Vec<u8> {
    let mut index = 0usize;
    let mut labels = Vec::new();
    for op in ops {
        match op {
            Op::Mark(label) => labels.push((*label, index)),
            _ => index += 1,
        }
    }
    let at = |label: Label| {
        labels
            .iter()
            .find(|(l, _)| *l == label)
            .map(|&(_, i)| i)
            .expect("every jump target is marked")
    };
    let mut out = Vec::new();
    let mut pc = 0usize;
    for op in ops {
        let (code, jt, jf, k) = match *op {
            Op::Mark(_) => continue,
            Op::Load(offset) => (LOAD_WORD, 0, 0, offset),
            Op::Return(value) => (RETURN, 0, 0, value),
            Op::Jump { code, k, yes, no } => {
                let offset = |target: Target| match target {
                    Target::Next => 0,
                    Target::Label(label) => u8::try_from(at(label) - pc - 1)
                        .expect("the filter is short enough for 8-bit jumps"),
                };
                (code, offset(yes), offset(no), k)
            }
        };
        out.extend_from_slice(&code.to_ne_bytes());
        out.push(jt);
        out.push(jf);
        out.extend_from_slice(&k.to_ne_bytes());
        pc += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembles_whole_instructions_that_end_in_returns() {
        let code = filter().expect("x86_64 and aarch64 have a filter");
        assert_eq!(code.len() % 8, 0);
        let last = &code[code.len() - 8..];
        assert_eq!(u16::from_ne_bytes([last[0], last[1]]), RETURN);
        assert_eq!(
            u32::from_ne_bytes([last[4], last[5], last[6], last[7]]),
            RET_ALLOW
        );
    }
}
