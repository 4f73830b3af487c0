package io.inboard.mesh.api.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseFlagTest {

  @Test
  void text_joinsCodesInEnvoysOrder_whateverOrderTheyWereSet() {
    int flags = ResponseFlag.URX.bit() | ResponseFlag.UF.bit() | ResponseFlag.UH.bit();
    assertThat(ResponseFlag.text(flags)).isEqualTo("UH,UF,URX");
    assertThat(ResponseFlag.text(ResponseFlag.DI.bit() | ResponseFlag.UT.bit()))
        .isEqualTo("UT,DI");
  }

  @Test
  void text_ofNoFlag_isADash_andOneFlagIsItsCode() {
    assertThat(ResponseFlag.text(0)).isEqualTo("-");
    assertThat(ResponseFlag.text(ResponseFlag.NC.bit())).isEqualTo("NC");
    assertThat(ResponseFlag.UO.in(ResponseFlag.UO.bit() | ResponseFlag.FI.bit())).isTrue();
    assertThat(ResponseFlag.UO.in(ResponseFlag.FI.bit())).isFalse();
  }
}
