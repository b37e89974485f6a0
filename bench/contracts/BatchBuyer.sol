// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

interface ILicensingPurchase {
    function purchase(uint256 offerId, address licensee) external payable returns (uint256 licenceId);
}

/// @title BatchBuyer — benchmark helper: many real `purchase` calls in one transaction
/// @notice Buys `licensees.length` licences from `offerIds[i % offerIds.length]` at `price` each (ETH),
/// so a block carries hundreds of purchases without a mempool. The buyer is this contract.
contract BatchBuyer {
    function buy(ILicensingPurchase licensing, uint256[] calldata offerIds, address[] calldata licensees, uint256 price)
        external
        payable
    {
        for (uint256 i; i < licensees.length; ++i) {
            licensing.purchase{value: price}(offerIds[i % offerIds.length], licensees[i]);
        }
    }
}
