#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "domain/certificate_number.h"
#include "signing/document_signer.h"
#include "signing/electronic_certificate.h"
#include "test_support.h"

namespace nrp::registration {
namespace {

using namespace testsupport;

TEST(CertificateNumber, FormatsTitleCertificatesAndProofs) {
  auto n = FormatCertificateNumber("410302", 2026, "洛阳市", v1::CERTIFICATE_KIND_TITLE_CERTIFICATE,
                                   123);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, "豫(2026)洛阳市不动产权第0000123号");
  n = FormatCertificateNumber("140100", 2025, "太原市", v1::CERTIFICATE_KIND_REGISTRATION_PROOF, 1);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, "晋(2025)太原市不动产证明第0000001号");
  n = FormatCertificateNumber("410302", 2026, "洛阳市", v1::CERTIFICATE_KIND_TITLE_CERTIFICATE,
                              10000000);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code(), Code::kResourceExhausted);
}

TEST(CertificateNumber, DistrictsUseTheirCitysRegistryCountiesTheirOwn) {
  RegistryNames names = RegistryNames::Defaults();
  auto r = names.RegistryFor("410302");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->code, "410300");
  EXPECT_EQ(r->name, "洛阳市");
  r = names.RegistryFor("410324");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->code, "410324");
  EXPECT_EQ(r->name, "栾川县");
  r = names.RegistryFor("640381");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "青铜峡市");
  r = names.RegistryFor("999999");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.error().message(),
            "no registry name is configured for region 999999 "
            "(NRP_REGISTRATION_REGISTRY_NAMES_FILE)");
  ASSERT_TRUE(names.AddLines("# extra\n410381 偃师市\n", "test").ok());
  EXPECT_EQ(names.RegistryFor("410381")->name, "偃师市");
  auto bad = names.AddLines("41038 x\n", "file");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "file:1: must be a 6-digit GB/T 2260 code, got '41038'");
}

v1::Certificate SampleCertificate() {
  v1::Certificate c;
  c.set_certificate_number("豫(2026)洛阳市不动产权第0000001号");
  c.set_kind(v1::CERTIFICATE_KIND_TITLE_CERTIFICATE);
  c.set_unit_code(kUnit);
  c.set_right_id("r1");
  *c.add_holders() = Holder(Zhang());
  c.set_region_code(kRegion);
  c.set_case_id("c1");
  *c.mutable_generated_at() = ToTimestamp(At(2026, 10, 12));
  return c;
}

class SigningTest : public ::testing::TestWithParam<SignatureAlgorithm> {};

TEST_P(SigningTest, SignedCertificateVerifiesAndATamperedOneFails) {
  auto signer = DocumentSigner::Generate(GetParam());
  ASSERT_TRUE(signer.ok()) << signer.error().ToString();
  EXPECT_EQ(signer->algorithm(), GetParam());
  v1::Right right = HouseRight(Zhang());
  right.set_right_id("r1");
  std::string doc = CertificateDocument(SampleCertificate(), &right, "洛阳市");
  // No personal id number in clear in the signed document.
  EXPECT_EQ(doc.find(Zhang().id_number()), std::string::npos);
  EXPECT_NE(doc.find("豫(2026)洛阳市不动产权第0000001号"), std::string::npos);
  auto ec = SignCertificate(*signer, doc);
  ASSERT_TRUE(ec.ok()) << ec.error().ToString();
  EXPECT_EQ(ec->verification_code.size(), 16u);
  EXPECT_EQ(ec->algorithm, AlgorithmName(GetParam()));
  // Verification with nothing but the public key and the URI.
  EXPECT_TRUE(VerifyCertificateUri(signer->public_key_pem(), ec->uri).ok());
  EXPECT_TRUE(VerifyDocument(signer->public_key_pem(), ec->document, ec->signature).ok());

  std::string tampered = ec->document;
  tampered.replace(tampered.find("张三"), std::string("张三").size(), "李四");
  auto bad = VerifyDocument(signer->public_key_pem(), tampered, ec->signature);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(bad.error().reason(), "SIGNATURE_INVALID");
  EXPECT_EQ(bad.error().message(), std::string("the ") + AlgorithmName(GetParam()) +
                                       " signature does not match the document");
  // Another registry's key does not verify it either.
  auto other = DocumentSigner::Generate(GetParam());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(VerifyDocument(other->public_key_pem(), ec->document, ec->signature).ok());
  // The key survives a round trip through PEM.
  auto pem = signer->PrivateKeyPem();
  ASSERT_TRUE(pem.ok());
  auto reloaded = DocumentSigner::FromPrivateKeyPem(*pem);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->key_id(), signer->key_id());
  auto sig2 = reloaded->Sign(doc);
  ASSERT_TRUE(sig2.ok());
  EXPECT_TRUE(VerifyDocument(signer->public_key_pem(), doc, *sig2).ok());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, SigningTest,
                         ::testing::Values(SignatureAlgorithm::kSm2WithSm3,
                                           SignatureAlgorithm::kEd25519),
                         [](const auto& info) {
                           return info.param == SignatureAlgorithm::kSm2WithSm3 ? "Sm2Sm3"
                                                                                : "Ed25519";
                         });

// The documented command-line check: `openssl dgst -sm3 -verify pub.pem -sigopt
// distid:1234567812345678 -signature sig.bin doc.json` accepts what the service signs.
TEST(Signing, OpensslCommandLineVerifiesAnSm2Signature) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
  auto signer = DocumentSigner::Generate(SignatureAlgorithm::kSm2WithSm3);
  ASSERT_TRUE(signer.ok());
  std::string doc = CertificateDocument(SampleCertificate(), nullptr, "洛阳市");
  auto sig = signer->Sign(doc);
  ASSERT_TRUE(sig.ok());
  char dir[] = "/tmp/nrp-reg-sign-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d(dir);
  std::ofstream(d + "/pub.pem") << signer->public_key_pem();
  std::ofstream(d + "/doc.json", std::ios::binary) << doc;
  std::ofstream(d + "/sig.bin", std::ios::binary) << *sig;
  std::string cmd = "openssl dgst -sm3 -verify " + d +
                    "/pub.pem -sigopt distid:1234567812345678 "
                    "-signature " +
                    d + "/sig.bin " + d + "/doc.json >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ofstream(d + "/doc.json", std::ios::binary | std::ios::app) << " ";
  EXPECT_NE(std::system(cmd.c_str()), 0);
  [[maybe_unused]] int rc = std::system(("rm -rf " + d).c_str());
}

TEST(Signing, RejectsUnreadableKeysAndUris) {
  auto k = DocumentSigner::FromPrivateKeyPem("not a key");
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().code(), Code::kInvalidArgument);
  auto p = ParseCertificateUri("https://example.org/x");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message(),
            "electronic_certificate_uri: is not an electronic certificate data URI");
}

}  // namespace
}  // namespace nrp::registration
