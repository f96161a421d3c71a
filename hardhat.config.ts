import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";

/** The one Solidity compiler this project uses, shipped by the npm `solc` package (pinned exactly in package.json). */
const SOLC_VERSION = "0.8.30";

// No machine here reaches the compiler download site: serve the pinned solc-js build from node_modules instead.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    offline: true,
    outputFile: process.env.REPORT_GAS_FILE,
    noColors: Boolean(process.env.REPORT_GAS_FILE),
    // Test-only contracts (probes, mock wallets) are not part of the product's gas figures.
    excludeContracts: ["contracts/mocks/"],
  },
  mocha: {
    timeout: 120_000,
    reporter: "./test/support/summary-reporter.js",
  },
};

export default config;
