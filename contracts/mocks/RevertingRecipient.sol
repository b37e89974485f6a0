// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice Test-only split recipient that rejects every ETH transfer.
contract RevertingRecipient {
    error RevertingRecipientRejected();

    receive() external payable {
        revert RevertingRecipientRejected();
    }
}
