import { Contract, Interface, type ContractRunner } from "ethers";
import { ILicensing__factory, ILinks__factory, IRegistrars__factory, IWorks__factory } from "../../../typechain-types";
import type { ILicensing } from "../../../typechain-types/contracts/interfaces/ILicensing";
import type { ILinks } from "../../../typechain-types/contracts/interfaces/ILinks";
import type { IRegistrars } from "../../../typechain-types/contracts/interfaces/IRegistrars";
import type { IWorks } from "../../../typechain-types/contracts/interfaces/IWorks";

/** ABIs come from the compiled interfaces (typechain), never copied by hand. */
export const worksInterface: Interface = IWorks__factory.createInterface() as unknown as Interface;
export const licensingInterface: Interface = ILicensing__factory.createInterface() as unknown as Interface;
export const linksInterface: Interface = ILinks__factory.createInterface() as unknown as Interface;
export const registrarsInterface: Interface = IRegistrars__factory.createInterface() as unknown as Interface;

/** ERC-20 calls the API prepares or reads (the standard, stable ABI). */
export const erc20Interface = new Interface([
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address account) view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
]);

/** ERC-5267: the EIP-712 domain of a contract (OpenZeppelin's EIP712 implements it). */
export const eip5267Interface = new Interface([
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
]);

export function worksContract(address: string, runner: ContractRunner): IWorks {
  return IWorks__factory.connect(address, runner);
}

export function licensingContract(address: string, runner: ContractRunner): ILicensing {
  return ILicensing__factory.connect(address, runner);
}

export function linksContract(address: string, runner: ContractRunner): ILinks {
  return ILinks__factory.connect(address, runner);
}

export function registrarsContract(address: string, runner: ContractRunner): IRegistrars {
  return IRegistrars__factory.connect(address, runner);
}

export function erc20Contract(address: string, runner: ContractRunner): Contract {
  return new Contract(address, erc20Interface, runner);
}

/** Decodes a revert payload against every interface the API knows; null when unknown. */
export function decodeRevert(data: string | null | undefined): { name: string; args: string[] } | null {
  if (!data || data === "0x") return null;
  for (const iface of [licensingInterface, worksInterface, linksInterface, registrarsInterface]) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return { name: parsed.name, args: parsed.args.map((a: unknown) => String(a)) };
    } catch {
      // not this interface
    }
  }
  return null;
}
