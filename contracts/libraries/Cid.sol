// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IWorks} from "../interfaces/IWorks.sol";

/// @title Cid — compact storage and canonical string encoding of IPFS CIDs (sha2-256 only)
/// @notice Accepts CIDv0 (0x1220‖digest, 34 bytes) and CIDv1 (0x01‖codec‖0x1220‖digest) with codec
/// dag-pb (0x70), raw (0x55), dag-cbor (0x71) or dag-json (0x0129, varint 0xa902). Stores the digest
/// (one word) plus version and codec (packed elsewhere). Encodes CIDv0 as base58btc ("Qm…", 46
/// chars) and CIDv1 as multibase base32 lower case ("b…"), both in assembly: base58 divides the
/// 272-bit number held in three 128-bit limbs by 58^10 per pass (5 passes), never byte by byte.
library Cid {
    // ─────────────────────────────────────────── constants ───────────────────────────────────────

    uint16 internal constant DAG_PB = 0x70;
    uint16 internal constant RAW = 0x55;
    uint16 internal constant DAG_CBOR = 0x71;
    uint16 internal constant DAG_JSON = 0x0129;

    /// @dev A byte value repeated in all 32 bytes of a word (base32 SWAR constants).
    uint256 private constant _EACH_0X61 = 0x6161616161616161616161616161616161616161616161616161616161616161;
    uint256 private constant _EACH_0X66 = 0x6666666666666666666666666666666666666666666666666666666666666666;
    uint256 private constant _EACH_0X80 = 0x8080808080808080808080808080808080808080808080808080808080808080;

    // ─────────────────────────────────────────── internal ────────────────────────────────────────

    /// @notice Parses a binary CID. Reverts with IWorks.WorksInvalidCid(cid) on anything else.
    /// @return digest the sha2-256 digest
    /// @return version 0 or 1
    /// @return codec the multicodec (0x70 for CIDv0)
    function parse(bytes calldata cid) internal pure returns (bytes32 digest, uint8 version, uint16 codec) {
        uint256 len = cid.length;
        if (len == 34) {
            if (cid[0] == 0x12 && cid[1] == 0x20) return (bytes32(cid[2:34]), 0, DAG_PB);
        } else if (len == 36) {
            if (cid[0] == 0x01 && cid[2] == 0x12 && cid[3] == 0x20) {
                codec = uint8(cid[1]);
                if (codec == DAG_PB || codec == RAW || codec == DAG_CBOR) return (bytes32(cid[4:36]), 1, codec);
            }
        } else if (len == 37) {
            if (cid[0] == 0x01 && cid[1] == 0xa9 && cid[2] == 0x02 && cid[3] == 0x12 && cid[4] == 0x20) {
                return (bytes32(cid[5:37]), 1, DAG_JSON);
            }
        }
        revert IWorks.WorksInvalidCid(cid);
    }

    /// @notice The canonical string of a stored CID.
    function toString(bytes32 digest, uint8 version, uint16 codec) internal pure returns (string memory) {
        return version == 0 ? _base58V0(digest) : _base32V1(digest, codec);
    }

    /// @dev base58btc of 0x1220‖digest. The 272-bit value is held in limbs (16, 128, 128 bits); each of
    /// 5 passes divides it by 58^10 (< 2^59, so remainder‖limb fits a word) and emits 10 digits.
    function _base58V0(bytes32 digest) private pure returns (string memory s) {
        assembly ("memory-safe") {
            s := mload(0x40)
            let end := add(s, 82) // 32-byte length word + 50 digit slots
            let l0 := 0x1220
            let l1 := shr(128, digest)
            let l2 := and(digest, 0xffffffffffffffffffffffffffffffff)
            let d10 := 430804206899405824 // 58^10
            let a1 := "123456789ABCDEFGHJKLMNPQRSTUVWXY"
            let a2 := "Zabcdefghijkmnopqrstuvwxyz"
            let p := end
            for { let i := 0 } lt(i, 5) { i := add(i, 1) } {
                let r := mod(l0, d10)
                l0 := div(l0, d10)
                let cur := or(shl(128, r), l1)
                l1 := div(cur, d10)
                r := mod(cur, d10)
                cur := or(shl(128, r), l2)
                l2 := div(cur, d10)
                r := mod(cur, d10)
                for { let j := 0 } lt(j, 10) { j := add(j, 1) } {
                    let d := mod(r, 58)
                    r := div(r, 58)
                    p := sub(p, 1)
                    switch lt(d, 32)
                    case 1 { mstore8(p, byte(d, a1)) }
                    default { mstore8(p, byte(sub(d, 32), a2)) }
                }
            }
            // Leading '1's are zero digits (the value has no leading zero byte): skip them.
            let start := add(s, 32)
            for {} eq(byte(0, mload(start)), 0x31) {} { start := add(start, 1) }
            s := sub(start, 32)
            mstore(s, sub(end, start))
            mstore(0x40, and(add(end, 31), not(31)))
        }
    }

    /// @dev "b" + RFC 4648 base32 lower case, no padding, of 0x01‖varint(codec)‖0x1220‖digest
    /// (36 or 37 bytes, so 58 or 60 characters). SWAR: each of two words takes 20 input bytes as four
    /// 40-bit groups in 64-bit lanes, spreads every group into eight 5-bit values, one per byte
    /// (40 → 2×20 → 4×10 → 8×5 bits), and maps all 32 values to the alphabet at once: 'a' + v, less
    /// 0x49 where v ≥ 26 (giving '2' + v − 26). No step carries across a byte.
    function _base32V1(bytes32 digest, uint16 codec) private pure returns (string memory s) {
        assembly ("memory-safe") {
            let buf := mload(0x40)
            let n := 4
            switch codec
            case 0x0129 {
                mstore(buf, shl(216, 0x01a9021220))
                n := 5
            }
            default { mstore(buf, shl(224, or(0x01001220, shl(16, codec)))) }
            mstore(add(buf, n), digest)
            mstore(add(buf, add(n, 32)), 0)
            let chars := div(add(mul(add(n, 32), 8), 4), 5)
            s := add(buf, 96)
            mstore(s, add(chars, 1))
            mstore8(add(s, 32), 0x62) // multibase prefix 'b'
            for { let w := 0 } lt(w, 2) { w := add(w, 1) } {
                let p := add(buf, mul(w, 20))
                let x := or(
                    or(shl(192, shr(216, mload(p))), shl(128, shr(216, mload(add(p, 5))))),
                    or(shl(64, shr(216, mload(add(p, 10)))), shr(216, mload(add(p, 15))))
                )
                let m20 := 0x000000000000000000000000000fffff000000000000000000000000000fffff
                m20 := or(shl(64, m20), m20)
                x := or(shl(12, and(x, shl(20, m20))), and(x, m20))
                let m10 := 0x000003ff000003ff000003ff000003ff000003ff000003ff000003ff000003ff
                x := or(shl(6, and(x, shl(10, m10))), and(x, m10))
                let m5 := 0x001f001f001f001f001f001f001f001f001f001f001f001f001f001f001f001f
                x := or(shl(3, and(x, shl(5, m5))), and(x, m5))
                let high := shr(7, and(add(x, _EACH_0X66), _EACH_0X80)) // 0x01 where v ≥ 26
                mstore(add(add(s, 33), mul(w, 32)), sub(add(x, _EACH_0X61), mul(high, 0x49)))
            }
            mstore(0x40, add(s, 128))
        }
    }
}
